// @ts-check
/**
 * `npx nx g ./tools/nx-plugin:area --service=inventory --name=endpoint-group`
 *
 * Scaffolds one area of a domain service in the house layout
 * (docs/conventions.md): the contract in libs/contracts (zod schemas and
 * subjects), then in the service the model (defineModel), a tenant-scoped
 * repository, the service (`verb(caller, input)`), the NATS handler, its
 * registration in the service's module, and an integration test against the
 * real servers — green from the start, to be grown with the area.
 */
const { formatFiles, generateFiles, names } = require('@nx/devkit');
const path = require('node:path');

/**
 * @param {import('@nx/devkit').Tree} tree
 * @param {{ service: string; name: string; plural?: string; skipFormat?: boolean }} options
 */
async function areaGenerator(tree, options) {
  const entity = names(options.name);
  const plural = names(options.plural ?? `${options.name}s`);
  const service = names(options.service);
  const substitutions = {
    tmpl: '',
    service: service.fileName,
    serviceClass: service.className,
    fileName: entity.fileName,
    className: entity.className,
    propertyName: entity.propertyName,
    constantName: entity.constantName,
    plural: plural.fileName,
    pluralProperty: plural.propertyName,
    collection: plural.fileName.replace(/-/g, '_'),
  };

  const serviceRoot = `services/${service.fileName}`;
  const moduleFile = `${serviceRoot}/src/app.module.ts`;
  if (!tree.exists(moduleFile)) {
    throw new Error(`${moduleFile} not found: is "${options.service}" a Warden service?`);
  }
  const areaDir = `${serviceRoot}/src/${plural.fileName}`;
  if (tree.exists(areaDir)) throw new Error(`${areaDir} exists already`);

  const files = (part) => path.join(__dirname, 'files', part);
  generateFiles(tree, files('contracts'), `libs/contracts/src/${service.fileName}`, substitutions);
  generateFiles(tree, files('service'), `${serviceRoot}/src`, substitutions);
  generateFiles(tree, files('test'), `${serviceRoot}/test`, substitutions);

  appendLine(
    tree,
    'libs/contracts/src/index.ts',
    `export * from './${service.fileName}/${entity.fileName}.contract';`,
  );
  registerInModule(tree, moduleFile, entity, plural);
  if (!options.skipFormat) await formatFiles(tree);
}

/**
 * @param {import('@nx/devkit').Tree} tree
 * @param {string} file
 * @param {string} line
 */
function appendLine(tree, file, line) {
  const text = tree.read(file, 'utf-8') ?? '';
  if (!text.includes(line)) tree.write(file, `${text.trimEnd()}\n${line}\n`);
}

/**
 * Adds the handler to the module's controllers and the repository and
 * service to its providers (creating either list when the module has none).
 *
 * @param {import('@nx/devkit').Tree} tree
 * @param {string} file
 * @param {ReturnType<typeof names>} entity
 * @param {ReturnType<typeof names>} plural
 */
function registerInModule(tree, file, entity, plural) {
  let text = tree.read(file, 'utf-8') ?? '';
  const base = `./${plural.fileName}/${entity.fileName}`;
  const imports = [
    `import { ${entity.className}Handler } from '${base}.handler';`,
    `import { ${entity.className}Repository } from '${base}.repository';`,
    `import { ${entity.className}Service } from '${base}.service';`,
  ].join('\n');
  const lastImport = text.lastIndexOf('\nimport ');
  const endOfImports = text.indexOf('\n', text.indexOf(';', lastImport + 1)) + 1;
  text = `${text.slice(0, endOfImports)}${imports}\n${text.slice(endOfImports)}`;

  const moduleKey = /module: \w+,\n/.exec(text);
  if (!moduleKey) throw new Error(`${file}: no "module: …," line to register the area after`);
  const add = (key, items) => {
    const list = `${key}: [`;
    if (text.includes(list)) {
      text = text.replace(list, `${list}${items.join(', ')}, `);
    } else {
      const at = moduleKey.index + moduleKey[0].length;
      text = `${text.slice(0, at)}      ${key}: [${items.join(', ')}],\n${text.slice(at)}`;
    }
  };
  add('controllers', [`${entity.className}Handler`]);
  add('providers', [`${entity.className}Repository`, `${entity.className}Service`]);
  tree.write(file, text);
}

module.exports = areaGenerator;
module.exports.default = areaGenerator;
