/** What the import commands share: the posts that exist here, and the report of what was left out or changed. */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/client';
import { IMPORT_NOTE_TEXT, type ImportNote, type ImportNoteKind } from '../src/services/import/wordpress';
import { learnUntrainedDecisions } from '../src/services/spam-filter';

const POSTS_FOLDER = fileURLToPath(new URL('../content/posts', import.meta.url));

/** Slugs of the posts in content/posts (their file names without .md). */
export function knownPostSlugs(): Set<string> {
  return new Set(readdirSync(POSTS_FOLDER).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)));
}

/**
 * One line per kind of note: how many, what happened to them, and every comment's id in the
 * source system (with a detail where it helps), so each can be looked up there.
 */
export function printImportNotes(notes: readonly ImportNote[], idLabel = 'WordPress comment ids'): void {
  const byKind = new Map<ImportNoteKind, ImportNote[]>();
  for (const note of notes) byKind.set(note.kind, [...(byKind.get(note.kind) ?? []), note]);
  for (const kind of Object.keys(IMPORT_NOTE_TEXT) as ImportNoteKind[]) {
    const list = byKind.get(kind);
    if (!list) continue;
    const ids = list.map((n) => (n.detail ? `${n.sourceId} (${n.detail})` : String(n.sourceId))).join(', ');
    console.log(`${list.length} ${IMPORT_NOTE_TEXT[kind]}. ${idLabel}: ${ids}`);
  }
}

/** Imported statuses teach the learning spam filter (approved: ham, spam: spam) before the command ends. */
export async function learnImportedDecisions(db: Db, dryRun: boolean): Promise<void> {
  if (dryRun) return;
  const learned = await learnUntrainedDecisions(db);
  if (learned) console.log(`Spam filter: learned from ${learned} imported decision(s) (approved as ham, spam as spam).`);
}
