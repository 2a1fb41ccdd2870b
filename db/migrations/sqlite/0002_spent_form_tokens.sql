CREATE TABLE `spent_form_tokens` (
	`nonce` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `spent_form_tokens_expires` ON `spent_form_tokens` (`expires_at`);