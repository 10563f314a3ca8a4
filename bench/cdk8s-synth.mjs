// What a TypeScript user might run instead of flexmesh: cdk8s synthesising the dev bundle's documents, one Chart,
// one ApiObject per document, written as YAML. No validation. Plain JavaScript, so nothing compiles on the way.
//   node bench/cdk8s-synth.mjs DOCUMENTS.json OUTDIR
import { readFileSync } from 'node:fs';
import { ApiObject, App, Chart } from 'cdk8s';

const [documentsFile, outdir] = process.argv.slice(2);
const documents = JSON.parse(readFileSync(documentsFile, 'utf8'));
const app = new App({ outdir });
const chart = new Chart(app, 'dev');
documents.forEach((document, index) => new ApiObject(chart, `document-${index}`, document));
app.synth();
