/**
 * The completion matrix: one row per member of staff, one column per
 * requirement in the workforce development matrix. Every cell comes from
 * `deriveProgress`, the same function the learner's own page uses.
 */
import type { Matrix } from '../content/index.ts';
import { calendarDayIn } from '../dates/index.ts';
import type { Catalogue } from '../plan/index.ts';
import { countsAsValid, deriveProgress, type ItemProgress, type LearnerProgress, type RoleStatus } from '../progress/index.ts';
import type { ItemKind } from '../plan/index.ts';
import type { StaffMember } from './staff.ts';
import { collator } from './view.ts';

/** One requirement column: an item some role requires. */
export interface Requirement {
  id: string;
  title: string;
  kind: ItemKind;
}

/**
 * Where one person stands on one requirement.
 * `missing` covers not started, in progress and passed only on an older version.
 */
export type CellStatus = 'completed' | 'due' | 'expired' | 'missing' | 'not-required';

/** Where one person stands on their whole role: `complete` and `due` both mean every requirement is currently met. */
export type StaffStatus = 'completed' | 'due' | 'expired' | 'incomplete';

export interface MatrixCell {
  itemId: string;
  status: CellStatus;
  /** Calendar day (UTC) of the completion that counts. @example "2026-03-04" */
  completedAt?: string;
  /** Calendar day (UTC) the completion needs renewing by. */
  renewalDate?: string;
  /** Webinars: the learner's own "I attended", or the recording watched. */
  attendance?: 'self-declared' | 'recording';
}

export interface MatrixRow {
  /** The person's account key. */
  key: string;
  name: string;
  organisation: string;
  /** The role's name from the matrix, or the id with a note when the matrix no longer has it. */
  role: string;
  /** The district's name, or "" when they did not give one. */
  district: string;
  status: StaffStatus;
  /** One per requirement, in the matrix's column order. */
  cells: MatrixCell[];
}

export interface CompletionMatrix {
  requirements: Requirement[];
  rows: MatrixRow[];
  /** The moment statuses were derived for (ISO 8601). */
  now: string;
}

export interface CompletionMatrixInput {
  staff: readonly StaffMember[];
  matrix: Matrix;
  catalogue: Catalogue;
  /** The site's public address; only statements about its activities count. */
  siteUrl: string;
  /** District ids and names from site.yaml. */
  districts?: ReadonlyArray<{ id: string; name: string }>;
  /** The council's time zone (site.yaml): each cell's date is the day an instant falls on there. @example "Europe/London" */
  timeZone: string;
  now: Date;
}

/** Every item any role requires, in a stable order: roles in matrix order, each role's items in its order. */
export function requirementsOf(matrix: Matrix, catalogue: Catalogue): Requirement[] {
  const seen = new Set<string>();
  const requirements: Requirement[] = [];
  for (const role of matrix.roles) {
    for (const id of role.required) {
      if (seen.has(id)) continue;
      seen.add(id);
      const item = catalogue[id];
      requirements.push({ id, title: item?.title ?? id, kind: item?.kind ?? 'module' });
    }
  }
  return requirements;
}

const staffStatusOf: Record<RoleStatus, StaffStatus> = {
  completed: 'completed',
  due: 'due',
  expired: 'expired',
  'in-progress': 'incomplete',
  'not-started': 'incomplete',
};

function cellOf(itemId: string, progress: ItemProgress | undefined, timeZone: string): MatrixCell {
  const day = (iso: string | undefined) => (iso ? calendarDayIn(iso, timeZone) : undefined);
  if (!progress) return { itemId, status: 'not-required' };
  const cell: MatrixCell = { itemId, status: 'missing' };
  if (countsAsValid(progress.status) || progress.status === 'expired') {
    cell.status = progress.status;
    const completedAt = day(progress.completedAt);
    const renewalDate = day(progress.renewalDate);
    if (completedAt) cell.completedAt = completedAt;
    if (renewalDate) cell.renewalDate = renewalDate;
    if (progress.attendance) cell.attendance = progress.attendance;
  }
  return cell;
}

/** Who a row is about, as the matrix shows them: the district by its name, or "" when not given. */
export type MatrixPerson = Pick<MatrixRow, 'key' | 'name' | 'organisation' | 'district'>;

/**
 * One person's row from progress already derived for their role (`deriveProgress`),
 * so a caller that needs the progress too (the hub's projection) derives it once.
 */
export function matrixRowOf(
  person: MatrixPerson,
  role: { name: string },
  progress: LearnerProgress,
  requirements: readonly Requirement[],
  timeZone: string,
): MatrixRow {
  const required = new Map(progress.items.filter((item) => item.item.required).map((item) => [item.item.id, item]));
  return {
    ...person,
    role: role.name,
    status: staffStatusOf[progress.status],
    cells: requirements.map((requirement) => cellOf(requirement.id, required.get(requirement.id), timeZone)),
  };
}

/** The row of someone whose role the matrix no longer has: shown, with nothing claimed for them. */
export function unknownRoleRow(person: MatrixPerson, roleId: string, requirements: readonly Requirement[]): MatrixRow {
  return {
    ...person,
    role: `${roleId} (not in the current matrix)`,
    status: 'incomplete',
    cells: requirements.map((requirement) => ({ itemId: requirement.id, status: 'not-required' })),
  };
}

/** Derives the matrix for everyone in `staff`, sorted by name. */
export function completionMatrix(input: CompletionMatrixInput): CompletionMatrix {
  const { matrix, catalogue, siteUrl, timeZone, now } = input;
  const requirements = requirementsOf(matrix, catalogue);
  const roles = new Map(matrix.roles.map((role) => [role.id, role]));
  const districts = new Map((input.districts ?? []).map((district) => [district.id, district.name]));
  const rows = input.staff.map((member): MatrixRow => {
    const { profile } = member;
    const person = {
      key: member.key,
      name: profile.name,
      organisation: profile.organisation,
      district: profile.district === undefined ? '' : (districts.get(profile.district) ?? profile.district),
    };
    const role = roles.get(profile.roleId);
    // The matrix changed since the file was made: show the person, claim nothing for them.
    if (!role) return unknownRoleRow(person, profile.roleId, requirements);
    const progress = deriveProgress({ statements: member.statements, matrix, catalogue, roleId: role.id, siteUrl, now });
    return matrixRowOf(person, role, progress, requirements, timeZone);
  });
  rows.sort((a, b) => collator.compare(a.name, b.name) || a.key.localeCompare(b.key));
  return { requirements, rows, now: now.toISOString() };
}
