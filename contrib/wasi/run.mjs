// run.mjs - run a WASI module under node with only the sockfs mount
// preopened (as /sockfs), no other directory, no network of its own.
//   node run.mjs MOUNT MODULE.wasm [ARGS...]
import { readFile } from 'node:fs/promises';
import { argv, env, exit } from 'node:process';
import { WASI } from 'node:wasi';

const [mount, module, ...args] = argv.slice(2);
if (!mount || !module) {
	console.error('usage: node run.mjs MOUNT MODULE.wasm [ARGS...]');
	exit(2);
}
const wasi = new WASI({
	version: 'preview1',
	args: [module, ...args],
	env: { SOCKFS: '/sockfs' },
	preopens: { '/sockfs': mount },
	returnOnExit: true,
});
const wasm = await WebAssembly.compile(await readFile(module));
// getImportObject: node 19.8 and later; older ones name the import themselves.
const imports = wasi.getImportObject
	? wasi.getImportObject()
	: { wasi_snapshot_preview1: wasi.wasiImport };
const instance = await WebAssembly.instantiate(wasm, imports);
exit(wasi.start(instance));
