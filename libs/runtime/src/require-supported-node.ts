/**
 * The first module of every bundled app (webpack.config.js puts it before the app's own
 * entry): on an older Node it stops the process with a message naming the version needed,
 * before any dependency gets the chance to fail in an obscure way. Node built-ins only.
 */
import { unsupportedNodeMessage } from './supported-node';

const message = unsupportedNodeMessage(process.version, process.execPath);
if (message !== undefined) {
  // Writes to a pipe or terminal are synchronous on Linux, so nothing is lost by exiting.
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
