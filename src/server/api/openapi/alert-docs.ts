import {
  alertListSchema,
  newSilenceSchema,
  silenceListSchema,
  silenceSchema,
} from '../schemas/silence.js';
import { alertInfoSchema } from '../schemas/stream-events.js';
import {
  jsonResponse,
  outputSchema,
  problemResponse,
  read,
  type Spec,
  WRITE_PROBLEMS,
  WRITE_SECURITY,
} from './responses.js';

/** Alerts and silences. */
export const alertDocs: Readonly<
  Record<'alerts' | 'alert' | 'silences' | 'silence' | 'addSilence' | 'expireSilence', Spec>
> = {
  alerts: read({
    tags: ['alerts'],
    summary: 'Alerts pending and firing now',
    responses: { 200: jsonResponse('The alerts', alertListSchema) },
  }),
  alert: read({
    tags: ['alerts'],
    summary: 'One alert pending or firing now: where an alert sent to Alertmanager links to',
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: {
      200: jsonResponse('The alert', alertInfoSchema),
      404: problemResponse('No alert with this id is pending or firing now'),
    },
  }),
  silences: read({
    tags: ['alerts'],
    summary: 'Every silence, newest first (expired ones for a while too)',
    responses: { 200: jsonResponse('The silences', silenceListSchema) },
  }),
  silence: read({
    tags: ['alerts'],
    summary: 'One silence',
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: {
      200: jsonResponse('The silence', silenceSchema),
      404: problemResponse('No silence has this id'),
    },
  }),
  addSilence: {
    tags: ['alerts'],
    summary: 'Add a silence',
    security: WRITE_SECURITY,
    requestBody: {
      required: true,
      content: { 'application/json': { schema: outputSchema(newSilenceSchema) } },
    },
    responses: {
      201: jsonResponse('The silence', silenceSchema),
      400: problemResponse('The silence cannot be added; `field` names the bad field'),
      ...WRITE_PROBLEMS,
    },
  },
  expireSilence: {
    tags: ['alerts'],
    summary: 'End a silence now',
    security: WRITE_SECURITY,
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: {
      200: jsonResponse('The silence, expired', silenceSchema),
      404: problemResponse('No silence has this id'),
      ...WRITE_PROBLEMS,
    },
  },
};
