// CommonJS stand-in for strip-bom 5 (ESM-only, which Jest's module system cannot load; Node and
// tsx load the real one). Same behaviour: drop a leading byte-order mark.
function stripBom(text) {
  return typeof text === 'string' && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
module.exports = stripBom;
module.exports.default = stripBom;
module.exports.__esModule = true;
