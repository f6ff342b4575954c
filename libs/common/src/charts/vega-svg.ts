import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_VEGA_CONFIG } from './chart-fonts';
import { ChartRenderError, toChartRenderError } from './chart-render-error';
import { ChartSandbox } from './chart-sandbox';

type VegaModules = [
  typeof import('vega'),
  typeof import('vega-lite'),
  typeof import('vega-interpreter'),
];

let loading: Promise<VegaModules> | undefined;

/**
 * Vega 6, Vega-Lite 6 and vega-interpreter are ES modules, and Vega's graph has a top-level
 * await (vega-canvas probes for the optional `canvas` package), so `require()` refuses it
 * even on Node 24 (ERR_REQUIRE_ASYNC_MODULE): they are loaded with Node's `import()` on the
 * first chart, which webpack leaves alone (the packages stay external to the bundle).
 */
function loadVega(): Promise<VegaModules> {
  loading ??= Promise.all([
    import(/* webpackIgnore: true */ 'vega'),
    import(/* webpackIgnore: true */ 'vega-lite'),
    import(/* webpackIgnore: true */ 'vega-interpreter'),
  ]);
  return loading;
}

/**
 * Renders a Vega-Lite spec to SVG on the server (no browser, no canvas), sandboxed: its
 * expressions run in Vega's interpreter (no `eval` or `new Function`, so a spec cannot run
 * code), and it may load nothing (data must be inline). Text is set in the chart font.
 * Rejects with ChartRenderError on an invalid spec, a data or image URL, a Vega runtime
 * error, or a chart that draws nothing.
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  const sandbox = new ChartSandbox();
  let view: View | undefined;
  try {
    const [{ parse, View }, { compile }, { expressionInterpreter }] = await loadVega();
    // `ast: true` keeps each expression's syntax tree for the interpreter to walk.
    const runtime = parse(compile(spec).spec, CHART_VEGA_CONFIG, { ast: true });
    view = new View(runtime, {
      expr: expressionInterpreter,
      renderer: 'none',
      loader: sandbox.loader,
      logger: sandbox.logger,
    });
    const svg = await view.toSVG();
    const failure = sandbox.failure();
    if (failure) throw failure;
    if (!drawsAnything(view)) {
      throw new ChartRenderError('chart draws nothing: no mark, axis, legend or title');
    }
    return svg;
  } catch (error) {
    // A refusal makes Vega fail later in odd ways; the refusal is the reason to report.
    throw sandbox.failure() ?? toChartRenderError(error);
  } finally {
    view?.finalize();
  }
}

/** The parts of Vega's scenegraph walked below (vega-typings describes it as a Scene). */
interface SceneMark {
  marktype: string;
  items?: { items?: SceneMark[] }[];
}

// Empty data alone is not blank (its axes still draw); an SVG with no item in any mark
// at all is, and that is cheap to tell from the scenegraph rather than from the SVG text.
function drawsAnything(view: View): boolean {
  const visit = (mark: SceneMark): boolean =>
    (mark.items ?? []).some(
      (item) => mark.marktype !== 'group' || (item.items ?? []).some((child) => visit(child)),
    );
  return visit((view.scenegraph() as unknown as { root: SceneMark }).root);
}
