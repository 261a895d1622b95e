/** A typed view of a Grafana dashboard JSON: its panels (rows flattened) and its queries. */
import { readFileSync } from 'node:fs';
import type { Query } from './promql-metric-names.js';

export interface DatasourceRef {
  type?: string;
  uid?: string;
}

export interface Target {
  refId: string;
  expr?: string;
  datasource?: DatasourceRef;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: DatasourceRef;
  targets?: Target[];
  /** A collapsed row keeps its panels here. */
  panels?: Panel[];
}

export interface TemplateVariable {
  name: string;
  type: string;
  datasource?: DatasourceRef;
  query?: string | { query: string };
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: TemplateVariable[] };
}

export const loadDashboard = (path: string): Dashboard => JSON.parse(readFileSync(path, 'utf8')) as Dashboard;

/** Every panel, those inside rows included. */
export const allPanels = (dashboard: Dashboard): Panel[] =>
  dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);

export const isRow = (panel: Panel): boolean => panel.type === 'row';

const variableQuery = (variable: TemplateVariable): string | undefined =>
  typeof variable.query === 'string' ? variable.query : variable.query?.query;

/** The PromQL of every panel target and every query variable. */
export function dashboardQueries(dashboard: Dashboard): Query[] {
  const targets = allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).flatMap((target) =>
      target.expr ? [{ where: `panel "${panel.title}" ${target.refId}`, expr: target.expr }] : [],
    ),
  );
  const variables = dashboard.templating.list.flatMap((variable) => {
    const query = variable.type === 'query' ? variableQuery(variable) : undefined;
    return query ? [{ where: `variable ${variable.name}`, expr: query, kind: 'grafana-variable' as const }] : [];
  });
  return [...targets, ...variables];
}

/** Every datasource uid a panel, a target or a variable refers to, with where. */
export function datasourceRefs(dashboard: Dashboard): { where: string; uid: string | undefined }[] {
  const panels = allPanels(dashboard)
    .filter((panel) => !isRow(panel))
    .flatMap((panel) => [
      { where: `panel "${panel.title}"`, uid: panel.datasource?.uid },
      ...(panel.targets ?? []).map((target) => ({
        where: `panel "${panel.title}" ${target.refId}`,
        uid: target.datasource?.uid ?? panel.datasource?.uid,
      })),
    ]);
  const variables = dashboard.templating.list
    .filter((variable) => variable.type === 'query')
    .map((variable) => ({ where: `variable ${variable.name}`, uid: variable.datasource?.uid }));
  return [...panels, ...variables];
}
