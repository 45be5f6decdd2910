#!/usr/bin/env -S node --
// `node bin/ctui.js` and this shebang: the same as bin/ctui.cjs, which the launcher (build/ctui) runs.
// `--` ends Node's own options: Node 20 reads `--env-file` anywhere on its command line, so without
// it `ctui run --env-file app.env` would load app.env into ctui itself (a NODE_OPTIONS line in it
// runs code on the host as root). Every argument after the script is ctui's, never Node's.
import './ctui.cjs';
