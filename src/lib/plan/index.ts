/**
 * The learning plan: what the workforce development matrix asks of one role.
 * Pure data in, data out; the same plan serves pages, progress and certificates.
 */
import type { Matrix, Renewal, Role } from '../content/schema.ts';

/** Where an item's lesson or film is on the site. @example itemPath({ kind: 'film', id: 'stay-and-play' }) → "/films/stay-and-play/" */
export function itemPath(item: Pick<CatalogueItem, 'kind' | 'id'>): string {
  return `/${item.kind === 'module' ? 'modules' : 'films'}/${item.id}/`;
}

/** A module or film as a plan needs to know it. */
export interface CatalogueItem {
  id: string;
  kind: 'module' | 'film';
  title: string;
  summary: string;
  /** Whole minutes to set aside. */
  minutes: number;
  /** Content version; a completion counts for the version it was made on. */
  version: string;
}

/** Every module and film, keyed by id. */
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

/** Builds the catalogue from parsed modules and films. */
export function catalogueOf(
  modules: Record<string, { title: string; summary: string; minutes: number; version: string }>,
  films: Record<string, { title: string; summary: string; duration: number; version: string }>,
): Catalogue {
  const catalogue: Catalogue = {};
  for (const [id, module] of Object.entries(modules)) {
    catalogue[id] = { id, kind: 'module', title: module.title, summary: module.summary, minutes: module.minutes, version: module.version };
  }
  for (const [id, film] of Object.entries(films)) {
    catalogue[id] = { id, kind: 'film', title: film.title, summary: film.summary, minutes: Math.max(1, Math.ceil(film.duration / 60)), version: film.version };
  }
  return catalogue;
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
    if (!item) throw new Error(`Role '${roleId}' lists '${id}', which is neither a module nor a film.`);
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
