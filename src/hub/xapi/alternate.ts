/**
 * xAPI's alternate request syntax, for clients that can only send GET and POST
 * across origins: a POST to ?method=PUT (for example) whose form body carries the
 * headers, the content and the query parameters. It becomes the request it stands for.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#alt-request-syntax
 */
import { HubError } from './common.ts';

const headerFields = new Set(['authorization', 'x-experience-api-version', 'content-type', 'content-length', 'if-match', 'if-none-match']);

export async function alternateRequest(request: Request, bodyLimit: number): Promise<Request> {
  const url = new URL(request.url);
  const method = url.searchParams.get('method');
  if (method === null) return request;
  if (request.method !== 'POST') throw new HubError(400, 'the method parameter is only allowed on a POST', 'method');
  if (!['GET', 'HEAD', 'PUT', 'POST', 'DELETE'].includes(method))
    throw new HubError(400, `method must be GET, HEAD, PUT, POST or DELETE, not "${method}"`, 'method');
  if ([...url.searchParams.keys()].some((key) => key !== 'method')) {
    throw new HubError(400, 'with the alternate request syntax, every parameter except method goes in the form body', 'method');
  }
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new HubError(400, 'a request with ?method= must be sent as application/x-www-form-urlencoded', 'Content-Type');
  }
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > bodyLimit) throw new HubError(413, `the request body is larger than this hub accepts (${bodyLimit} bytes)`);
  const form = new URLSearchParams(await request.text());
  const version = form.get('X-Experience-API-Version') ?? request.headers.get('x-experience-api-version') ?? '';
  if (version.startsWith('2.0'))
    throw new HubError(400, 'xAPI 2.0 has no alternate request syntax: send the request with its own method and headers', 'method');
  // Headers sent as headers still count; form fields of the same name take their place.
  const headers = new Headers(request.headers);
  headers.delete('content-type');
  const target = new URL(url.pathname, url);
  let content: string | undefined;
  for (const [name, value] of form) {
    const lower = name.toLowerCase();
    if (lower === 'content') content = value;
    else if (headerFields.has(lower)) headers.set(lower, value);
    else target.searchParams.append(name, value);
  }
  if (content !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  headers.delete('content-length');
  const hasBody = content !== undefined && method !== 'GET' && method !== 'HEAD';
  return new Request(target, { method, headers, ...(hasBody ? { body: content } : {}) });
}
