import type { TopLevelSpec } from 'vega-lite';

type VegaModules = [typeof import('vega'), typeof import('vega-lite')];

let loading: Promise<VegaModules> | undefined;

/**
 * Vega 6 and Vega-Lite 6 are ES modules, and Vega's graph has a top-level await (vega-canvas
 * probes for the optional `canvas` package), so `require()` refuses it even on Node 24
 * (ERR_REQUIRE_ASYNC_MODULE): they are loaded with Node's `import()` on the first chart,
 * which webpack leaves alone (the packages stay external to the bundle).
 */
function loadVega(): Promise<VegaModules> {
  loading ??= Promise.all([
    import(/* webpackIgnore: true */ 'vega'),
    import(/* webpackIgnore: true */ 'vega-lite'),
  ]);
  return loading;
}

/**
 * Renders a Vega-Lite spec to SVG on the server (no browser, no canvas): Vega's
 * headless view with the `none` renderer writes SVG text directly.
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await loadVega();
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
