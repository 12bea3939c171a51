// The little of the browser's globals the tests read inside the page. The root tsconfig has
// no DOM library (the services must not see one), so these are typed here; a function given
// to page.evaluate runs in the browser and may use only what it declares itself.

export interface PageElement {
  id: string;
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
}

export interface PageGlobals {
  document: {
    documentElement: { scrollWidth: number; clientWidth: number };
    activeElement: PageElement | null;
    getElementById(id: string): PageElement | null;
  };
  loadedOnce?: boolean;
}
