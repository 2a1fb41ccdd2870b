CREATE TABLE `outgoing_webhooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`url` text NOT NULL,
	`event` text NOT NULL,
	`comment_id` integer,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`delivered_at` integer,
	`last_status` integer,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outgoing_webhooks_due` ON `outgoing_webhooks` (`delivered_at`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outgoing_webhooks_created` ON `outgoing_webhooks` (`created_at`);--> statement-breakpoint
CREATE TABLE `spam_filter_tokens` (
	`token` text PRIMARY KEY NOT NULL,
	`ham` integer NOT NULL,
	`spam` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `spam_filter_totals` (
	`id` integer PRIMARY KEY NOT NULL,
	`ham_docs` integer NOT NULL,
	`spam_docs` integer NOT NULL,
	`ham_tokens` integer NOT NULL,
	`spam_tokens` integer NOT NULL,
	`vocabulary` integer NOT NULL,
	CONSTRAINT "spam_filter_totals_single_row" CHECK("spam_filter_totals"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE `comments` ADD `spam_score` real;--> statement-breakpoint
ALTER TABLE `comments` ADD `spam_evidence` text;--> statement-breakpoint
ALTER TABLE `comments` ADD `spam_trained_as` text;