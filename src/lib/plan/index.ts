/**
 * The learning plan: what the workforce development matrix asks of one role.
 * Pure data in, data out; the same plan serves pages, progress and certificates.
 */
import type { Matrix, Renewal, Role } from '../content/schema.ts';

/** What kind of thing a plan item is. */
export type ItemKind = 'module' | 'film' | 'webinar';

/** A module, film or webinar as a plan needs to know it. */
export interface CatalogueItem {
  id: string;
  kind: ItemKind;
  title: string;
  summary: string;
  /** Whole minutes to set aside. */
  minutes: number;
  /** Content version; a completion counts for the version it was made on. */
  version: string;
}

/** Every module, film and webinar, keyed by id. */
export type Catalogue = Record<string, CatalogueItem>;

export interface PlanItem extends CatalogueItem {
  required: boolean;
  renewal: Renewal;
}

export interface LearningPlan {
  role: Role;
  level: Matrix['levels'][number];
  /** Required items first, in the matrix's order, then recommended ones. */
  items: PlanItem[];
  requiredMinutes: number;
  recommendedMinutes: number;
  /** The shortest renewal period among the required items, in months. */
  renewalMonths: number;
  matrixVersion: string;
}

/** Thrown when asked for a role the matrix does not have. */
export class UnknownRoleError extends Error {
  readonly roleId: string;
  constructor(roleId: string) {
    super(`There is no role '${roleId}' in the workforce development matrix.`);
    this.name = 'UnknownRoleError';
    this.roleId = roleId;
  }
}

/** Builds the catalogue from parsed modules, films and webinars. A webinar takes as long as its first session, or its recording. */
export function catalogueOf(
  modules: Record<string, { title: string; summary: string; minutes: number; version: string }>,
  films: Record<string, { title: string; summary: string; duration: number; version: string }>,
  webinars: Record<
    string,
    { title: string; summary: string; version: string; sessions: { minutes: number }[]; recording?: { duration: number } | undefined }
  > = {},
): Catalogue {
  const catalogue: Catalogue = {};
  for (const [id, module] of Object.entries(modules)) {
    catalogue[id] = { id, kind: 'module', title: module.title, summary: module.summary, minutes: module.minutes, version: module.version };
  }
  for (const [id, film] of Object.entries(films)) {
    catalogue[id] = { id, kind: 'film', title: film.title, summary: film.summary, minutes: Math.max(1, Math.ceil(film.duration / 60)), version: film.version };
  }
  for (const [id, webinar] of Object.entries(webinars)) {
    const minutes = webinar.sessions[0]?.minutes ?? Math.max(1, Math.ceil((webinar.recording?.duration ?? 60) / 60));
    catalogue[id] = { id, kind: 'webinar', title: webinar.title, summary: webinar.summary, minutes, version: webinar.version };
  }
  return catalogue;
}

/** The page of a plan item. @example itemPath({ kind: 'film', id: 'stay-and-play' }) → "/films/stay-and-play/" */
export function itemPath(item: { kind: ItemKind; id: string }): string {
  return `/${item.kind === 'module' ? 'modules' : item.kind === 'film' ? 'films' : 'webinars'}/${item.id}/`;
}

/** What a plan item is, in words for a list: "Lesson and quiz", "Film clip", "Webinar". */
export function itemKindName(kind: ItemKind): string {
  return kind === 'module' ? 'Lesson and quiz' : kind === 'film' ? 'Film clip' : 'Webinar';
}

/** How long a completion of `itemId` stays valid under the matrix. */
export function renewalFor(matrix: Matrix, itemId: string): Renewal {
  return matrix.renewal[itemId] ?? matrix.defaultRenewal;
}

/** Turns a role into its learning plan. @throws UnknownRoleError */
export function learningPlan(matrix: Matrix, catalogue: Catalogue, roleId: string): LearningPlan {
  const role = matrix.roles.find((candidate) => candidate.id === roleId);
  if (!role) throw new UnknownRoleError(roleId);
  const level = matrix.levels.find((candidate) => candidate.id === role.level);
  if (!level) throw new Error(`Role '${roleId}' names level ${role.level}, which the matrix does not have.`);
  const toItem = (id: string, required: boolean): PlanItem => {
    const item = catalogue[id];
    if (!item) throw new Error(`Role '${roleId}' lists '${id}', which is not a module, film or webinar.`);
    return { ...item, required, renewal: renewalFor(matrix, id) };
  };
  const items = [...role.required.map((id) => toItem(id, true)), ...role.recommended.map((id) => toItem(id, false))];
  const sum = (list: PlanItem[]) => list.reduce((total, item) => total + item.minutes, 0);
  const required = items.filter((item) => item.required);
  return {
    role,
    level,
    items,
    requiredMinutes: sum(required),
    recommendedMinutes: sum(items.filter((item) => !item.required)),
    renewalMonths: Math.min(...required.map((item) => item.renewal.months)),
    matrixVersion: matrix.version,
  };
}

export { formatMinutes, formatMonths, formatRenewal } from './format.ts';
