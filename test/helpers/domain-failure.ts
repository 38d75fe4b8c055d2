import { isDomainError, type DomainError } from '../../src/domain/domain-error';

/** The DomainError a promise rejects with (fails the test if it resolves or throws something else). */
export async function domainFailure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}
