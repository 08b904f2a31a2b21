// jsdom lacks the browser events Lumino defines classes for at import time.
for (const name of ['DragEvent', 'ClipboardEvent']) {
  if (!(name in globalThis)) {
    (globalThis as any)[name] = class extends MouseEvent {};
  }
}
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({ matches: false, media: query, addListener() {}, removeListener() {},
       addEventListener() {}, removeEventListener() {} }) as any;
}
