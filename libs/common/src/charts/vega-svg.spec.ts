import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_FONT_FAMILY } from './chart-fonts';
import { ChartRenderError } from './chart-render-error';
import { renderVegaLiteSvg } from './vega-svg';

const points = [
  { x: 1, y: 1 },
  { x: 2, y: 3 },
  { x: 3, y: 2 },
];

/** A line chart whose y values exist only as the result of a `calculate` expression. */
const calculated: TopLevelSpec = {
  data: { values: points },
  transform: [{ calculate: 'datum.y * 1000 + 7', as: 'scaled' }],
  mark: 'line',
  encoding: {
    x: { field: 'x', type: 'quantitative' },
    y: { field: 'scaled', type: 'quantitative', scale: { zero: false, nice: false } },
  },
};

describe('renderVegaLiteSvg', () => {
  afterEach(() => jest.restoreAllMocks());

  it('runs expressions in the interpreter, never compiling code from strings', async () => {
    // Vega's default code generator builds functions with `Function(...)`: watching it here
    // proves the spy sees that path, so its silence below means the interpreter ran.
    const construct = jest.spyOn(globalThis, 'Function');
    await new View(parse(compile(calculated).spec), { renderer: 'none' }).toSVG();
    expect(construct).toHaveBeenCalled();
    construct.mockClear();

    const svg = await renderVegaLiteSvg(calculated);

    expect(construct).not.toHaveBeenCalled();
    // The line and its axis carry the calculated values (1,007 … 3,007), not the raw ones.
    expect(svg).toMatch(/<path aria-label="x: 1; scaled: 1007"[^>]* d="M0,300L150,0L300,150"/);
    expect(svg).toContain('values from 1,007 to 3,007');
  });

  it('sets every text in the chart font unless the spec picks its own', async () => {
    const titled: TopLevelSpec = { ...calculated, title: 'Scaled' };
    const svg = await renderVegaLiteSvg(titled);
    const families = new Set([...svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]));
    expect([...families]).toEqual([CHART_FONT_FAMILY]);

    const own = await renderVegaLiteSvg({ ...titled, config: { title: { font: 'Serif Co' } } });
    expect(own).toContain('font-family="Serif Co"');
  });

  describe('loading nothing from outside', () => {
    let server: Server;
    let requests: string[];
    let origin: string;

    beforeAll(async () => {
      requests = [];
      server = createServer((req, res) => {
        requests.push(req.url ?? '');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(points));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));
    beforeEach(() => (requests = []));

    function watchEscapes(): jest.SpyInstance[] {
      return [
        jest.spyOn(globalThis, 'fetch'),
        jest.spyOn(fs, 'readFile'),
        jest.spyOn(fs.promises, 'readFile'),
      ];
    }

    it.each([
      ['http', () => `${origin}/points.json`],
      ['https', () => `${origin.replace('http:', 'https:')}/points.json`],
      ['file', () => `file://${__filename}`],
      ['an absolute path', () => __filename],
      ['a relative path', () => 'data/points.json'],
    ])('refuses a data URL over %s', async (_kind, url) => {
      const escapes = watchEscapes();
      const spec: TopLevelSpec = {
        data: { url: url() },
        mark: 'point',
        encoding: { x: { field: 'x', type: 'quantitative' } },
      };

      const rendering = renderVegaLiteSvg(spec);

      await expect(rendering).rejects.toThrow(ChartRenderError);
      await expect(rendering).rejects.toThrow(
        `external resource, which charts may not load: ${url()}`,
      );
      for (const escape of escapes) expect(escape).not.toHaveBeenCalled();
      expect(requests).toEqual([]);
    });

    it('refuses an image mark with an external address', async () => {
      const escapes = watchEscapes();
      const spec: TopLevelSpec = {
        data: { values: [{ x: 1, picture: `${origin}/logo.png` }] },
        mark: { type: 'image', width: 20, height: 20 },
        encoding: { x: { field: 'x', type: 'quantitative' }, url: { field: 'picture' } },
      };

      await expect(renderVegaLiteSvg(spec)).rejects.toThrow(`${origin}/logo.png`);
      for (const escape of escapes) expect(escape).not.toHaveBeenCalled();
      expect(requests).toEqual([]);
    });

    it('refuses a hyperlink, which a report would otherwise carry', async () => {
      const spec: TopLevelSpec = {
        data: { values: [{ x: 1, link: 'javascript:alert(1)' }] },
        mark: 'point',
        encoding: { x: { field: 'x', type: 'quantitative' }, href: { field: 'link' } },
      };

      await expect(renderVegaLiteSvg(spec)).rejects.toThrow('javascript:alert(1)');
    });

    it('still renders inline data', async () => {
      await expect(renderVegaLiteSvg(calculated)).resolves.toContain('<svg');
    });
  });

  describe('failures', () => {
    it('rejects a spec Vega-Lite cannot compile', async () => {
      const spec = { data: { values: points }, mark: 'nonsense' } as unknown as TopLevelSpec;
      await expect(renderVegaLiteSvg(spec)).rejects.toThrow(ChartRenderError);
    });

    it('rejects an expression that fails while the chart runs', async () => {
      const spec: TopLevelSpec = {
        ...calculated,
        transform: [{ calculate: 'datum.missing.field', as: 'scaled' }],
      };
      await expect(renderVegaLiteSvg(spec)).rejects.toThrow(/chart failed while rendering: .+/);
    });

    it('rejects a chart that draws nothing at all', async () => {
      const spec: TopLevelSpec = { data: { values: [] }, mark: 'point' };
      await expect(renderVegaLiteSvg(spec)).rejects.toThrow('chart draws nothing');
    });

    it('renders empty data with its axes: that chart says "no rows", it is not blank', async () => {
      const spec: TopLevelSpec = { ...calculated, data: { values: [] } };
      await expect(renderVegaLiteSvg(spec)).resolves.toContain('role-axis');
    });
  });
});
