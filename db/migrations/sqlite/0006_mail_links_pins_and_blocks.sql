CREATE TABLE `blocked_authors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text,
	`client_hash` text,
	`author_name` text NOT NULL,
	`comment_id` integer,
	`moderator_name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `blocked_authors_email` ON `blocked_authors` (`email`);--> statement-breakpoint
CREATE INDEX `blocked_authors_client` ON `blocked_authors` (`client_hash`);--> statement-breakpoint
CREATE TABLE `mail_link_uses` (
	`nonce` text PRIMARY KEY NOT NULL,
	`comment_id` integer NOT NULL,
	`action` text NOT NULL,
	`moderator_id` integer NOT NULL,
	`used_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `mail_link_uses_used` ON `mail_link_uses` (`used_at`);--> statement-breakpoint
ALTER TABLE `comments` ADD `pinned_at` integer;--> statement-breakpoint
ALTER TABLE `moderation_log` ADD `via` text;