/** The descriptions of the components bundle's files: how each answer is coded and cached. */
import { problemResponse, type Spec, text } from './responses.js';

/** What every file of the bundle answers besides its body. */
const codingResponses: Spec['responses'] = {
  304: { description: "The copy named by If-None-Match (that coding's ETag) is current" },
  404: problemResponse('The bundle has no file of this name'),
  406: problemResponse('Accept-Encoding rules out br, gzip and identity alike'),
  503: problemResponse('The bundle is neither built nor buildable; the detail says what to run'),
};

/** Shared wording: the coding, its ETag, and `Vary`. */
export const CODING_NOTE =
  'Sent in the best coding Accept-Encoding allows (br, gzip, or none; q-values honoured), with ' +
  "Content-Encoding, that coding's own strong ETag and Vary: Accept-Encoding.";

/** The bundle's later parts. */
export const embedDocs: Readonly<Record<'part', Spec>> = {
  part: {
    tags: ['server'],
    summary: 'A later part of the components bundle (the chart), loaded by /embed.js',
    description: `${CODING_NOTE} Named by a hash of its content, so cached for good. Public, CORS open to any page.`,
    security: [],
    parameters: [
      {
        name: 'file',
        in: 'path',
        required: true,
        description: 'The part, as /embed.js names it, e.g. latency-chart-Ab12Cd34.js.',
        schema: { type: 'string' },
      },
    ],
    responses: { 200: text('The part, an ES module', 'text/javascript'), ...codingResponses },
  },
};

/** The entry's answers, for its description beside the server's routes. */
export const embedEntryResponses: Spec['responses'] = {
  200: text('The bundle, an ES module', 'text/javascript'),
  ...codingResponses,
};
