import template from './platform-metrics.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

/**
 * `platform metrics`: a heading, then one section per figure (label/value rows, a note) and the
 * trend chart as an image in its section. Every string is already Teams markdown (the views
 * format numbers and escape names); the chart is a `data:image/png;base64,...` URI.
 */
export interface PlatformMetricsCardView {
  heading: string;
  subheading: string;
  sections: { title: string; rows: { label: string; value: string }[]; text?: string; chart?: { url: string; altText: string } }[];
  footer: string;
}

export function renderPlatformMetricsCard(view: PlatformMetricsCardView): AdaptiveCard {
  return renderTemplate(template, {
    ...view,
    sections: view.sections.map(({ chart, ...s }) => ({ ...s, text: s.text ?? '', chartUrl: chart?.url ?? '', chartAlt: chart?.altText ?? '' })),
  });
}
