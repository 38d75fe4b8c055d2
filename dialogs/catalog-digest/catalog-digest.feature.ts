/**
 * The weekly catalog digest's chat edge: no command (the digest comes on its own, from the
 * scheduled job main.ts registers); the card's buttons and its Fix and Not applicable forms.
 */
import type { Feature } from '../../src/bot/feature';
import { catalogDigestCardActions, type CatalogDigestFeatureDeps } from './catalog-digest.card-actions';

export type { CatalogDigestFeatureDeps } from './catalog-digest.card-actions';
export { digestPublisher } from './catalog-digest.views';

export function catalogDigestFeature(deps: CatalogDigestFeatureDeps): Feature {
  return { name: 'catalog-digest', cardActions: catalogDigestCardActions(deps) };
}
