/**
 * Who may change what (specs.md, issue 13), as pure functions over two spec sets. A name belongs
 * to whoever owns it at the base: declaring, changing, moving or removing a Workstation, Job or JobQueue
 * needs its owner at the base and its owner after (when they differ, both) or a Lab admin; the
 * Lab, Budgets, SnapshotSchedules and Environments need an admin, and an Environment change names
 * the owners of every workstation it would replace. A Workstation change that brings it into a
 * `budgetExempt` SnapshotSchedule it was not in needs an admin too: that schedule keeps
 * snapshotting (spending) through a budget's stop, a control only the PI's admins may lift. A file that cannot be read is a change to
 * every name it declared at the base. "Vouching" people are a pull request's author and every
 * reviewer whose latest review approves its head commit; admins come from the base's Lab only.
 */
import { LAB_KEY } from './spec-set.js';
import type { SpecDeclaration, SpecSet } from './spec-set.js';

/** One spec a change touches. */
export interface ChangedSpec {
  /** Path relative to the lab folder (after the change; before it for a removal). */
  file: string;
  kind: string;
  name: string;
  change: 'added' | 'modified' | 'moved' | 'removed' | 'unreadable';
  /** Owners whose approval it needs (deduplicated, lower-case, sorted); empty when only an admin can approve. */
  owners: string[];
  /** Every file the change involves, before and after (a move has two). */
  files: string[];
  /** Why more people are involved, e.g. the workstations an Environment change replaces. */
  note?: string;
  /** Only a Lab admin can approve it, whatever its owners (it joins a `budgetExempt` schedule). @default false */
  adminOnly?: boolean;
}

/** Whose approval a change needs, and whether it has it. */
export interface ApprovalCheck {
  spec: ChangedSpec;
  needs: 'owner-or-admin' | 'admin';
  ok: boolean;
  /** Who satisfied it (when ok). */
  by?: string;
}

/** The people whose word counts for a change. */
export interface Vouchers {
  author: string;
  /** Reviewers whose latest review approves the current head. */
  approvers: string[];
  /** Lab admins, from the base's Lab. */
  admins: string[];
}

const OWNED_KINDS = new Set(['Workstation', 'Job', 'JobQueue', 'EnvironmentImage']);

const same = (a: readonly SpecDeclaration[], b: readonly SpecDeclaration[]): boolean =>
  a.length === b.length && a.every((d, i) => d.hash === b[i]?.hash && d.file === b[i].file);

/**
 * The semantic difference between two spec sets, one entry per changed key, sorted by key.
 * `only`, when given, limits it to those keys (the ones a commit itself touched).
 */
export function diffSpecSets(before: SpecSet, after: SpecSet, only?: ReadonlySet<string>): ChangedSpec[] {
  const keys = new Set([...before.specs.keys(), ...after.specs.keys()]);
  for (const { keys: declared } of [...before.unreadable.values(), ...after.unreadable.values()])
    for (const key of declared) keys.add(key);
  const out: ChangedSpec[] = [];
  for (const key of [...keys].sort()) {
    if (only && !only.has(key)) continue;
    const b = before.specs.get(key) ?? [];
    const a = after.specs.get(key) ?? [];
    // A file that cannot be read now stands for what it declared before, whatever it seems to declare now.
    const unreadableNow = [...after.unreadable]
      .filter(([file, u]) => u.keys.includes(key) || b.some((d) => d.file === file))
      .map(([file]) => file);
    const unreadableBefore = [...before.unreadable].filter(([, u]) => u.keys.includes(key)).map(([file]) => file);
    if (
      same(b, a) &&
      unreadableNow.join() === unreadableBefore.join() &&
      unreadableNow.every((f) => before.unreadable.get(f)?.hash === after.unreadable.get(f)?.hash)
    )
      continue;
    const first = a[0] ?? b[0];
    const [kind = '', ...rest] = key.split('/');
    const name = first?.name ?? rest.join('/');
    const declaredOwners = [...b, ...a].map((d) => d.owner);
    // A new name in a file that cannot be read: the owners that file names are asked, as for any new declaration.
    if (!b.length) for (const file of unreadableNow) declaredOwners.push(...(after.unreadable.get(file)?.owners ?? []));
    const owners = OWNED_KINDS.has(kind)
      ? [...new Set(declaredOwners.filter((o): o is string => o !== undefined))].sort()
      : [];
    const files = [
      ...new Set([...b.map((d) => d.file), ...a.map((d) => d.file), ...unreadableNow, ...unreadableBefore]),
    ].sort();
    const change: ChangedSpec['change'] = unreadableNow.length
      ? 'unreadable'
      : !b.length
        ? 'added'
        : !a.length
          ? 'removed'
          : b.length === a.length && b.every((d, i) => d.hash === a[i]?.hash)
            ? 'moved'
            : 'modified';
    out.push({
      file: (a[0] ?? b[0])?.file ?? unreadableNow[0] ?? unreadableBefore[0] ?? '',
      kind: kind === LAB_KEY ? 'Lab' : kind,
      name,
      change,
      owners,
      files,
    });
  }
  for (const [file, u] of after.unreadable) {
    // A new or changed unreadable file that declares nothing known: an admin must look at it.
    const declaredBefore = [...before.specs.values()].some((list) => list.some((d) => d.file === file));
    if (u.keys.length || declaredBefore || before.unreadable.get(file)?.hash === u.hash) continue;
    if (only && !only.has(`file/${file}`)) continue;
    out.push({ file, kind: 'unreadable file', name: file, change: 'unreadable', owners: [], files: [file] });
  }
  // Without a readable Lab nothing else can be read: the Lab's change (an admin's) is the change.
  const labLost = before.specs.has(LAB_KEY) && !after.specs.has(LAB_KEY);
  return withExemptSchedules(
    withEnvironmentOwners(
      labLost ? out.filter((c) => c.kind === 'Lab' || c.kind === 'unreadable file') : out,
      before,
      after,
    ),
    before,
    after,
  );
}

/** Whether a `budgetExempt` schedule's selector picks a workstation (specs/check-references.ts `selects`). */
function exemptSelects(
  selector: NonNullable<SpecDeclaration['exemptSelector']>,
  ws: Pick<SpecDeclaration, 'name' | 'project' | 'labels'>,
): boolean {
  if (selector.project !== undefined) return ws.project === selector.project;
  if (selector.workstations !== undefined) return selector.workstations.includes(ws.name);
  if (selector.labels !== undefined) return Object.entries(selector.labels).every(([k, v]) => ws.labels?.[k] === v);
  return false;
}

/** Names of the `budgetExempt` schedules of a spec set that pick a workstation declaration. */
function exemptSchedulesOf(set: SpecSet, ws: SpecDeclaration): Set<string> {
  const out = new Set<string>();
  for (const list of set.specs.values())
    for (const d of list) if (d.exemptSelector !== undefined && exemptSelects(d.exemptSelector, ws)) out.add(d.name);
  return out;
}

/**
 * A Workstation change that brings it into a `budgetExempt` schedule it was not in at the base
 * (new labels, a new project, a new workstation a project selector picks) is an admin's: the
 * schedule's snapshots go on through a budget stop.
 */
function withExemptSchedules(changes: ChangedSpec[], before: SpecSet, after: SpecSet): ChangedSpec[] {
  return changes.map((change) => {
    if (change.kind !== 'Workstation' || change.change === 'removed') return change;
    const now = after.specs.get(`Workstation/${change.name}`) ?? [];
    const was = before.specs.get(`Workstation/${change.name}`) ?? [];
    const joined = new Set<string>();
    for (const ws of now) for (const name of exemptSchedulesOf(after, ws)) joined.add(name);
    for (const ws of was) for (const name of exemptSchedulesOf(before, ws)) joined.delete(name);
    if (!joined.size) return change;
    const names = [...joined].sort().join(', ');
    const note = `it would join the budgetExempt snapshot schedule${joined.size > 1 ? 's' : ''} ${names}, which keep${joined.size > 1 ? '' : 's'} snapshotting through a budget stop`;
    return { ...change, adminOnly: true, note: change.note ? `${change.note}; ${note}` : note };
  });
}

/** An Environment change names the owners of every workstation (before or after) that uses it. */
function withEnvironmentOwners(changes: ChangedSpec[], before: SpecSet, after: SpecSet): ChangedSpec[] {
  return changes.map((change) => {
    if (change.kind !== 'Environment') return change;
    const env = change.name.split('@')[0];
    const users = new Set<string>();
    for (const set of [before, after])
      for (const list of set.specs.values())
        for (const d of list) if (d.environment === env && d.owner) users.add(d.owner);
    return users.size
      ? { ...change, note: `it would replace workstations of ${[...users].sort().join(', ')}` }
      : change;
  });
}

/** Checks every change against the people vouching for it. */
export function checkApprovals(changes: readonly ChangedSpec[], who: Vouchers): ApprovalCheck[] {
  const admins = new Set(who.admins.map((a) => a.toLowerCase()));
  const vouching = [who.author, ...who.approvers].filter(Boolean).map((a) => a.toLowerCase());
  const admin = vouching.find((v) => admins.has(v));
  return changes.map((spec) => {
    const needs = OWNED_KINDS.has(spec.kind) && spec.owners.length && !spec.adminOnly ? 'owner-or-admin' : 'admin';
    if (admin) return { spec, needs, ok: true, by: `${admin} (admin)` };
    if (needs === 'admin') return { spec, needs, ok: false };
    const ok = spec.owners.every((o) => vouching.includes(o));
    return { spec, needs, ok, ...(ok ? { by: spec.owners.join(', ') } : {}) };
  });
}

/** A sentence per missing approval: `budgets/r01.yaml (Budget r01) needs an approval from a Lab admin (phartley)`. */
export function missingApprovals(checks: readonly ApprovalCheck[], admins: readonly string[]): string[] {
  const adminList = admins.length ? ` (${admins.join(', ')})` : ' (labops.yaml names none)';
  return checks
    .filter((c) => !c.ok)
    .map((c) => {
      const what = `${c.spec.file} (${c.spec.kind} ${c.spec.name}${c.spec.change === 'moved' || (c.spec.change === 'unreadable' && c.spec.kind !== 'unreadable file') ? `, ${c.spec.change}` : ''})`;
      const note = c.spec.note ? `; ${c.spec.note}` : '';
      if (c.needs === 'admin') return `${what} needs an approval from a Lab admin${adminList}${note}`;
      return `${what} needs ${c.spec.owners.length > 1 ? `its owners ${c.spec.owners.join(' and ')}` : `its owner ${c.spec.owners[0]}`} or a Lab admin${adminList}${note}`;
    });
}

/** Keys whose declarations differ between two spec sets (what a commit touched), plus `file/<path>` for changed unreadable files. */
export function touchedKeys(before: SpecSet, after: SpecSet): Set<string> {
  const touched = new Set<string>();
  for (const change of diffSpecSets(before, after))
    touched.add(
      change.kind === 'unreadable file'
        ? `file/${change.file}`
        : change.kind === 'Lab'
          ? LAB_KEY
          : `${change.kind}/${change.name}`,
    );
  return touched;
}
