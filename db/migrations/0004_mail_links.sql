CREATE TABLE `mail_link_uses` (
	`nonce` text PRIMARY KEY NOT NULL,
	`comment_id` integer NOT NULL,
	`action` text NOT NULL,
	`moderator_id` integer NOT NULL,
	`used_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `mail_link_uses_used` ON `mail_link_uses` (`used_at`);--> statement-breakpoint
ALTER TABLE `moderation_log` ADD `via` text;