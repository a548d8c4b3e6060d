/** The demo's fixed ports on 127.0.0.1; `demo/kpi-lights.yaml` names the same ones. */
export const DEMO_PORTS = {
  /** The KPI server: API, stream, its own /metrics. */
  kpi: 8100,
  /** The e-file submit service. */
  efile: 8101,
  /** The e-file status service. */
  status: 8102,
  /** The agency intranet page, and the alert webhook sink. */
  page: 8103,
  /** The local SMTP sink the demo's alert mail goes to. */
  smtp: 8104,
  /** The page listing the mail the sink received. */
  mail: 8105,
  /** The Python e-file intake service (FastAPI), when Python has FastAPI. */
  intake: 8106,
} as const;
