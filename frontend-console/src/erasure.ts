// Requests to be forgotten (admin), as the Beheer tab sends them.

import { ApiError, type Api } from './api';
import { localise } from './forms';
import type { T } from './i18n';
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

/**
 * What the confirmation says before a number's callback requests are forgotten. The service is
 * the one judge of a number, and judges it only in the request that erases (there is no check
 * without erasing, and its rule, libphonenumber's, is not the console's to copy): so the admin sees
 * the number as it will be sent, how the service reads it (documented: without a country code as
 * Dutch, with "+" or "00" by the code typed), and that an invalid one removes nothing. Before, the
 * confirmation said only that everything would go, and "Vul een geldig nummer in." came after it.
 */
export function erasePhoneConfirmation(typed: string, t: T): string[] {
  const phone = typed.trim();
  const international = phone.startsWith('+') || phone.startsWith('00');
  return [t('erasePhoneText', { phone }), t(international ? 'erasePhoneReadAsTyped' : 'erasePhoneReadAsDutch'), t('erasePhoneJudgedAfter')];
}
