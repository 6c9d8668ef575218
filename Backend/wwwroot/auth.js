// Tokens for the page, from the Backend's same-origin /auth/token (forwarded to the AuthService).
// Both tokens live in this module's memory only: not in localStorage or sessionStorage, where
// any script injected into the origin could read them, and never in a URL or a log line. The
// price is a new sign-in after a page reload, which this demo page accepts.
export class TokenStore {
  #access = null;
  #refresh = null;
  #expiresAt = 0;
  #refreshing = null;

  get signedIn() { return this.#refresh !== null; }

  async signIn(username, password) {
    await this.#request({ grant_type: 'password', username, password });
  }

  // The current access token, fetched anew when forced (4001) or about to expire.
  async accessToken(force) {
    if (force || Date.now() > this.#expiresAt - 5000) await this.refresh();
    return this.#access;
  }

  // One refresh at a time: a refresh token is single use, and two concurrent uses of one would
  // revoke its whole family (docs/auth.md).
  refresh() {
    this.#refreshing ??= this.#request({ grant_type: 'refresh_token', refresh_token: this.#refresh })
      .finally(() => { this.#refreshing = null; });
    return this.#refreshing;
  }

  forget() {
    this.#access = this.#refresh = null;
    this.#expiresAt = 0;
  }

  async #request(form) {
    const response = await fetch('auth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
      cache: 'no-store',
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(answer.error_description ?? answer.error ?? `sign-in failed (${response.status})`);
    }
    this.#access = answer.access_token;
    this.#refresh = answer.refresh_token;
    this.#expiresAt = Date.now() + answer.expires_in * 1000;
  }
}
