/** The Kite Connect login page. */
export const KITE_LOGIN_URL = 'https://kite.zerodha.com/connect/login';

/**
 * Returns the login URL a person opens: `<loginUrl>?api_key=…&v=3`, plus `redirect_params` (a query string Kite
 * echoes back to the redirect URL) when given (kite-connect.md §1).
 */
export function loginUrl(
  apiKey: string,
  base: string = KITE_LOGIN_URL,
  redirectParams?: Readonly<Record<string, string>>,
): string {
  const url = new URL(base);
  url.searchParams.set('api_key', apiKey);
  url.searchParams.set('v', '3');
  if (redirectParams !== undefined && Object.keys(redirectParams).length > 0) {
    url.searchParams.set('redirect_params', new URLSearchParams(redirectParams).toString());
  }
  return url.toString();
}
