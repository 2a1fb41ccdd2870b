CREATE TABLE `reply_notices` (
	`reply_id` integer PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`reply_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `reply_subscriptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`comment_id` integer NOT NULL,
	`email` text NOT NULL,
	`confirmed_at` integer,
	`unsubscribed_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reply_subscriptions_comment` ON `reply_subscriptions` (`comment_id`);--> statement-breakpoint
CREATE INDEX `reply_subscriptions_email` ON `reply_subscriptions` (lower("email"));--> statement-breakpoint
ALTER TABLE `comments` ADD `edited_at` integer;--> statement-breakpoint
ALTER TABLE `outgoing_mail` ADD `html_body` text;--> statement-breakpoint
ALTER TABLE `outgoing_mail` ADD `headers` text;