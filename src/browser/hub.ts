/**
 * Whether the site is served by a hub. On a static host `/api/hub` does not
 * exist (or is a page, not JSON), so pages that need a hub say so instead.
 * Asked once per page.
 */
export interface HubInfo {
  publicUrl: string;
}

let asked: Promise<HubInfo | undefined> | undefined;

export function findHub(): Promise<HubInfo | undefined> {
  asked ??= fetch('/api/hub', { headers: { Accept: 'application/json' }, cache: 'no-store' })
    .then(async (response) => {
      if (!response.ok || !response.headers.get('Content-Type')?.includes('application/json')) return undefined;
      const body = (await response.json()) as { hub?: unknown; publicUrl?: unknown };
      return body.hub === true && typeof body.publicUrl === 'string' ? { publicUrl: body.publicUrl } : undefined;
    })
    .catch(() => undefined);
  return asked;
}

/** The hub refused a request: its own words and the field it names. */
export class HubRequestError extends Error {
  readonly status: number;
  readonly where: string | undefined;
  constructor(status: number, message: string, where?: string) {
    super(message);
    this.name = 'HubRequestError';
    this.status = status;
    this.where = where;
  }
}
