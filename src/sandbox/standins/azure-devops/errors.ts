/**
 * Azure DevOps error bodies. The real service answers failures with this JSON shape (the `TFnnnnnn`
 * message, `typeKey`, `typeName`); clients match on `typeKey` and the status code, so keep both real.
 */
import { json, type StandInResponse } from '../standin-server';

export class AdoError extends Error {
  constructor(
    readonly status: number,
    readonly typeKey: string,
    message: string,
  ) {
    super(message);
  }
}

export function errorResponse(status: number, typeKey: string, message: string): StandInResponse {
  return json(status, {
    $id: '1',
    innerException: null,
    message,
    typeName: `Microsoft.TeamFoundation.${typeKey}, Microsoft.TeamFoundation`,
    typeKey,
    errorCode: 0,
    eventId: 3000,
  });
}

export const projectNotFound = (project: string): AdoError =>
  new AdoError(
    404,
    'ProjectDoesNotExistWithNameException',
    `TF200016: The following project does not exist: ${project}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`,
  );

export const repositoryNotFound = (repository: string): AdoError =>
  new AdoError(
    404,
    'GitRepositoryNotFoundException',
    `TF401019: The Git repository with name or identifier ${repository} does not exist or you do not have permissions for the operation you are attempting.`,
  );

export const badRequest = (message: string): AdoError => new AdoError(400, 'InvalidArgumentValueException', message);

export const unresolvable = (version: string, repoName: string, kind = 'Branch'): AdoError =>
  new AdoError(
    404,
    'GitUnresolvableToCommitException',
    `TF401175: The version descriptor <${kind}: ${version} > could not be resolved to a version in the repository ${repoName}`,
  );
