import { getCollection } from 'astro:content';
import type { ImageSource } from '../../domain/posts/posts';

/** A person who writes posts (content/authors/<id>.md). */
export interface Author {
  id: string;
  name: string;
  role: string;
  bio: string;
  avatar: ImageSource;
}

/** Authors are read at build time, so the list is loaded once per process. */
let cache: Promise<Author[]> | undefined;

/** Every author, by name. */
export function listAuthors(): Promise<Author[]> {
  cache ??= getCollection('authors').then((entries) =>
    entries
      .map((e): Author => ({ id: e.id, name: e.data.name, role: e.data.role, bio: e.data.bio, avatar: e.data.avatar }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
  return cache;
}

/** The author a post's `author` field names, or undefined for a name without a profile. */
export async function authorNamed(name: string): Promise<Author | undefined> {
  return (await listAuthors()).find((a) => a.name === name);
}

/** The author with this id (the file name), or undefined. */
export async function getAuthor(id: string): Promise<Author | undefined> {
  return (await listAuthors()).find((a) => a.id === id);
}
