/**
 * The search page's behaviour: reads `?q=`, loads Pagefind's client on first
 * use, and lists results with their kind, title, matching words in context and,
 * for a service, how families reach it. Result text is set as text, never as
 * markup: only Pagefind's <mark> around matching words is kept.
 */

/** The parts of Pagefind's client this page uses. */
interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
}
interface Pagefind {
  options(options: Record<string, unknown>): Promise<void>;
  search(query: string): Promise<{ results: { data(): Promise<PagefindResultData> }[] } | null>;
}

/** How many results the page lists. */
const shownResults = 10;

let client: Promise<Pagefind> | undefined;

/** Loads Pagefind's client once, from the index the build wrote into /pagefind/. */
function pagefind(): Promise<Pagefind> {
  client ??= import(/* @vite-ignore */ `${'/pagefind/'}pagefind.js`).then(async (module: Pagefind) => {
    await module.options({ excerptLength: 24 });
    return module;
  });
  return client;
}

/** Rebuilds Pagefind's excerpt as text nodes and <mark> elements only. */
function excerptNodes(excerpt: string): Node[] {
  const template = document.createElement('template');
  template.innerHTML = excerpt;
  return [...template.content.childNodes].map((node) => {
    if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent ?? '');
  });
}

function resultItem(data: PagefindResultData): HTMLLIElement {
  const item = document.createElement('li');
  const kind = document.createElement('p');
  kind.className = 'caption';
  kind.textContent = data.meta['kind'] ?? 'Page';
  const heading = document.createElement('h2');
  const link = document.createElement('a');
  link.href = data.url;
  link.textContent = data.meta['title'] ?? data.url;
  heading.append(link);
  const excerpt = document.createElement('p');
  excerpt.append(...excerptNodes(data.excerpt));
  item.append(kind, heading, excerpt);
  const reach = data.meta['reach'];
  if (reach) {
    const how = document.createElement('p');
    const label = document.createElement('strong');
    label.textContent = 'How families get it: ';
    how.append(label, reach);
    item.append(how);
  }
  return item;
}

/** Runs the search in `?q=` and keeps the page's own form in step with it. */
export function startSearchPage(): void {
  const input = document.querySelector<HTMLInputElement>('#search-q');
  const status = document.querySelector<HTMLElement>('[data-search-status]');
  const list = document.querySelector<HTMLOListElement>('[data-search-results]');
  if (!input || !status || !list) return;
  const query = (new URLSearchParams(location.search).get('q') ?? '').trim();
  input.value = query;
  if (query === '') {
    status.textContent = 'Type what you are looking for, then choose Search.';
    return;
  }
  status.textContent = `Searching for "${query}"…`;
  void pagefind()
    .then((search) => search.search(query))
    .then(async (found) => {
      const results = await Promise.all((found?.results ?? []).slice(0, shownResults).map((result) => result.data()));
      list.replaceChildren(...results.map(resultItem));
      const count = found?.results.length ?? 0;
      status.textContent =
        count === 0
          ? `No results for "${query}". Check the spelling, try other words, or look through the local offer.`
          : `${count === 1 ? '1 result' : `${count} results`} for "${query}"${count > shownResults ? `, showing the first ${shownResults}` : ''}.`;
      if (count === 0) list.replaceChildren(localOfferItem('Browse the local offer by theme and area'));
    })
    .catch(() => {
      status.textContent = 'Search is not working at the moment. Find a service in the local offer instead.';
      list.replaceChildren(localOfferItem('Go to the local offer'));
    });
}

/** A list item linking to the local offer, whose filters work without search. */
function localOfferItem(text: string): HTMLLIElement {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = '/services/';
  link.textContent = text;
  item.append(link);
  return item;
}
