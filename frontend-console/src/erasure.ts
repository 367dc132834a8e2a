// Requests to be forgotten (admin), as the Beheer tab sends them.

import type { Api } from './api';

/**
 * Removes every callback request of a phone number; answers how many went. The number travels in
 * the body: a URL is kept in access logs (the proxy's, the server's on a failure), a body is not.
 */
export function forgetCallbacks(api: Api, phone: string): Promise<{ removed: number } | null> {
  return api.post<{ removed: number }>('/api/v1/admin/callbacks/forget', { phone });
}
