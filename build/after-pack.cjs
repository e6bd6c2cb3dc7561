// electron-builder afterPack hook: the app cannot open its queue without better-sqlite3's native
// binary, so a pack whose unpacked copy is missing fails here instead of at the user's first start.
// CommonJS because electron-builder loads hooks with require().
const { existsSync } = require('node:fs')
const { join } = require('node:path')

/** Where the binary must be, for a packager's resources folder. */
function sqliteBinaryPath(resourcesDir) {
  return join(resourcesDir, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
}

async function afterPack(context) {
  const resourcesDir = context.packager.getResourcesDir(context.appOutDir)
  const binary = sqliteBinaryPath(resourcesDir)
  if (!existsSync(binary)) {
    throw new Error(
      `better-sqlite3 is not unpacked at ${binary}: check asarUnpack and npmRebuild in electron-builder.yml`,
    )
  }
}

module.exports = afterPack
module.exports.default = afterPack
module.exports.sqliteBinaryPath = sqliteBinaryPath
