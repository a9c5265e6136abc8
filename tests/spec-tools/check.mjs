// Checks of what DotMac publishes, for tests/DotMac.AppHost.Tests (each prints one JSON object on stdout):
//   node check.mjs openapi <file>...      every file validates as OpenAPI 3 (@apidevtools/swagger-parser)
//   node check.mjs asyncapi <file>        the file validates as AsyncAPI 3 (@asyncapi/parser), with its message names
//   node check.mjs dashboards <file>...   every file validates as a Grafana dashboard (the classic JSON model):
//                                         JSON Schemas generated (ts-json-schema-generator) from Grafana's own published
//                                         types (@grafana/schema): the Dashboard kind, and each panel's options and custom
//                                         field config against its panel plugin's schema
//   node check.mjs docs <gateway-url> [client-id client-secret]
//                                         /docs and /docs/events in headless Chromium: what they list, every request made;
//                                         with an API client, "Authorize" by client credentials and one call tried out
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Parser } from '@asyncapi/parser';
import { chromium } from 'playwright-core';
import { createGenerator } from 'ts-json-schema-generator';
import Ajv from 'ajv';

const [command, ...rest] = process.argv.slice(2);

async function openapi(files) {
  const results = [];
  for (const file of files) {
    try {
      const api = await SwaggerParser.validate(JSON.parse(await readFile(file, 'utf8')));
      results.push({ file, valid: true, version: api.openapi, paths: Object.keys(api.paths ?? {}).length });
    } catch (e) {
      results.push({ file, valid: false, error: String(e.message ?? e) });
    }
  }
  return { results };
}

async function asyncapi(file) {
  const parser = new Parser();
  const { document, diagnostics } = await parser.parse(await readFile(file, 'utf8'));
  const errors = diagnostics.filter(d => d.severity === 0).map(d => `${d.path.join('.')}: ${d.message}`);
  return {
    valid: document !== undefined && errors.length === 0,
    version: document?.version(),
    errors,
    warnings: diagnostics.filter(d => d.severity === 1).length,
    messages: document ? document.allMessages().all().map(m => m.name()) : [],
    operations: document ? document.allOperations().all().length : 0,
  };
}

// Grafana generates @grafana/schema from its CUE kinds; its .d.ts files are the published schema. Each type is turned
// into a JSON Schema with every object closed (additionalProperties: false), so a misspelt or misplaced property fails.
async function dashboards(files) {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve('@grafana/schema/package.json'));
  const version = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).version;
  const types = path.join(root, 'dist', 'types');
  const ajv = new Ajv({ allErrors: true, strict: false });
  const compile = (file, type) => ajv.compile(createGenerator({
    path: file, type, expose: 'none', topRef: false, skipTypeCheck: true, additionalProperties: false,
  }).createSchema(type));
  const dashboard = compile(path.join(types, 'index.d.ts'), 'Dashboard');
  const plugins = new Map();
  const plugin = (type) => {
    if (!plugins.has(type)) {
      // A panel plugin's schema: its Options and, for most, the FieldConfig of fieldConfig.defaults.custom.
      const file = path.join(types, 'raw', 'composable', type, 'panelcfg', 'x', 'types.gen.d.ts');
      const source = existsSync(file) ? readFileSync(file, 'utf8') : null;
      plugins.set(type, source === null ? null : {
        options: /export interface Options\b/.test(source) ? compile(file, 'Options') : null,
        fieldConfig: /export interface FieldConfig\b/.test(source) ? compile(file, 'FieldConfig') : null,
      });
    }
    return plugins.get(type);
  };
  const describe = (where, errors) => (errors ?? []).slice(0, 20).map(e => `${where}${e.instancePath} ${e.message}${e.params?.additionalProperty ? `: ${e.params.additionalProperty}` : ''}`);
  const results = [];
  for (const file of files) {
    let model;
    try {
      model = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      results.push({ file, valid: false, errors: [String(e.message ?? e)] });
      continue;
    }
    const errors = dashboard(model) ? [] : describe('', dashboard.errors);
    const panels = (model.panels ?? []).flatMap(p => [p, ...(p.type === 'row' ? p.panels ?? [] : [])]);
    const unknownTypes = [];
    for (const p of panels) {
      if (p.type === 'row') continue;
      const schema = plugin(p.type);
      if (!schema) { unknownTypes.push(p.type); continue; }
      const where = `panel ${p.id} "${p.title}" `;
      if (schema.options && !schema.options(p.options ?? {})) errors.push(...describe(`${where}/options`, schema.options.errors));
      const custom = p.fieldConfig?.defaults?.custom;
      if (schema.fieldConfig && custom !== undefined && !schema.fieldConfig(custom))
        errors.push(...describe(`${where}/fieldConfig/defaults/custom`, schema.fieldConfig.errors));
    }
    results.push({ file, valid: errors.length === 0, errors, panels: panels.length, unknownTypes: [...new Set(unknownTypes)] });
  }
  return { schema: `@grafana/schema ${version}`, results };
}

async function docs(gateway, clientId, clientSecret) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const requests = [];
  const failures = [];
  try {
    const page = await browser.newPage();
    page.on('request', r => requests.push(r.url()));
    page.on('requestfailed', r => failures.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on('pageerror', e => failures.push(`page error: ${e.message}`));
    await page.goto(new URL('/docs/', gateway).toString(), { waitUntil: 'networkidle' });
    await page.waitForSelector('.swagger-ui .info .title', { timeout: 30000 });
    const services = await page.$$eval('select#select option', options => options.map(o => o.textContent.trim()));
    const title = (await page.textContent('.swagger-ui .info .title')).trim();
    const operations = await page.$$eval('.opblock', blocks => blocks.length);
    const authorize = await page.$('button.authorize') !== null;
    const bar = await page.$$eval('nav.dotmac-bar a', links => links.map(a => a.textContent.trim()));
    const authorized = clientId ? await authorizeAndTry(page, clientId, clientSecret) : null;
    await page.goto(new URL('/docs/events', gateway).toString(), { waitUntil: 'networkidle' });
    await page.waitForSelector('#messages article', { timeout: 30000 });
    const messages = await page.$$eval('#messages article h2', heads => heads.map(h => h.firstChild.textContent.trim()));
    await page.fill('#filter', 'invoice');
    const filtered = await page.$$eval('#messages article:not([hidden])', a => a.length);
    const origin = new URL(gateway).origin;
    return {
      title, services, operations, authorize, authorized, bar, messages, filtered, failures,
      requests: requests.length,
      external: requests.filter(u => !u.startsWith(origin) && !u.startsWith('data:')),
    };
  } finally {
    await browser.close();
  }
}

// Swagger UI's own "Authorize" with the clientCredentials scheme (identity's token endpoint), then "Try it out" on the
// services document's plan list: the call must carry the token and be answered 200.
async function authorizeAndTry(page, clientId, clientSecret) {
  await page.selectOption('select#select', { label: 'services v1' });
  await page.waitForSelector('.opblock-summary-path[data-path="/api/v1/services/plans"]', { timeout: 30000 });
  await page.click('button.authorize');
  const flow = page.locator('.auth-container').filter({ hasText: 'clientCredentials' });
  await flow.locator('#client_id_clientCredentials').fill(clientId);
  await flow.locator('#client_secret_clientCredentials').fill(clientSecret);
  await flow.locator('label[for="services:read-clientCredentials-checkbox-clientCredentials"]').click();
  const token = page.waitForResponse(r => r.url().includes('/api/v1/identity/auth/token'));
  await flow.locator('button.authorize').click();
  const tokenStatus = (await token).status();
  await page.click('.dialog-ux button.close-modal');
  const block = page.locator('.opblock-get').filter({ has: page.locator('.opblock-summary-path[data-path="/api/v1/services/plans"]') }).first();
  await block.locator('.opblock-summary').click();
  await block.locator('button.try-out__btn').click();
  const call = page.waitForResponse(r => r.url().includes('/api/v1/services/plans') && r.request().method() === 'GET');
  await block.locator('button.execute').click();
  const answer = await call;
  return { tokenStatus, callStatus: answer.status(), bearer: (answer.request().headers()['authorization'] ?? '').startsWith('Bearer ') };
}

const output = command === 'openapi' ? await openapi(rest)
  : command === 'asyncapi' ? await asyncapi(rest[0])
  : command === 'dashboards' ? await dashboards(rest)
  : command === 'docs' ? await docs(rest[0], rest[1], rest[2])
  : (() => { throw new Error(`unknown command ${command}`); })();
process.stdout.write(JSON.stringify(output) + '\n');
