// Requests to be forgotten (admin), as the Beheer tab sends them.

import { ApiError, type Api } from './api';
import { localise } from './forms';
import type { FieldError } from './protocol';

/**
 * Removes every callback request of a phone number; answers how many went. The number travels in
 * the body: a URL is kept in access logs (the proxy's, the server's on a failure), a body is not.
 */
export function forgetCallbacks(api: Api, phone: string): Promise<{ removed: number } | null> {
  return api.post<{ removed: number }>('/api/v1/admin/callbacks/forget', { phone });
}

/**
 * A request to be forgotten that failed, as errors of the field the admin typed: the service's
 * reasons (problem+json `errors`, e.g. "Vul een geldig nummer in.") in the admin's language, a 404
 * as `notFound`, any other failure by its message.
 */
export function refusal(err: unknown, field: string, lang: 'nl' | 'en', notFound: string): FieldError[] {
  const errors = localise(err instanceof ApiError ? err.errors : [], lang);
  if (errors.length) return errors.map((e) => ({ ...e, field }));
  const message = err instanceof ApiError && err.status === 404 ? notFound : err instanceof Error ? err.message : String(err);
  return [{ field, message }];
}
