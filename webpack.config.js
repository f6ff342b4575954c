// The Nest CLI builds each app (api, worker, cli) with its default webpack options and
// this function. It adds the profile worker thread's own entry point (see ProfileThreadService in
// libs/datasets/src/ingest/profile-thread.service.ts), emitted as profile-worker.js beside the
// app's main.js, so the thread loads the profiling code and nothing else of the app. Each
// app's bundle starts with the Node version check, so an older Node stops with a message.
const { dirname, join } = require('node:path');

const { compilerOptions } = require('./tsconfig.json');

// `@app/*` imports, from tsconfig.json's `paths`, which are relative to that file: without a
// `baseUrl` (deprecated in TypeScript 6) Nest's TsconfigPathsPlugin reads them relative to
// each app's own tsconfig (apps/<app>/) instead.
const APP_ALIASES = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([name, [target]]) => [
    `${name}$`,
    join(__dirname, target),
  ]),
);
const PROFILE_WORKER = './libs/datasets/src/ingest/profile-worker.ts';
const SUPPORTED_NODE_CHECK = './libs/runtime/src/require-supported-node.ts';
// SIGHTLINE_BUILD_TYPE_CHECK=off (npm test's build) leaves out Nest's type check, one
// fork-ts-checker per app: `npm run check` type-checks the whole tree, and tests are
// transpiled unchecked anyway. The three checks were 60 of the build's 80 s on 2 cores.
const TYPE_CHECK = process.env.SIGHTLINE_BUILD_TYPE_CHECK !== 'off';

module.exports = (options) => {
  const main = options.output.filename;
  return {
    ...options,
    entry: { main: [SUPPORTED_NODE_CHECK, options.entry], 'profile-worker': PROFILE_WORKER },
    resolve: { ...options.resolve, alias: { ...options.resolve.alias, ...APP_ALIASES } },
    plugins: TYPE_CHECK
      ? options.plugins
      : options.plugins.filter(
          (plugin) => plugin.constructor.name !== 'ForkTsCheckerWebpackPlugin',
        ),
    output: {
      ...options.output,
      filename: (pathData) =>
        pathData.chunk.name === 'main' ? main : join(dirname(main), '[name].js'),
    },
  };
};
