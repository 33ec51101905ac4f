-- A neutralized copy of a database must not act on the company's Zoom account.
UPDATE zoom_account
   SET access_token = NULL,
       refresh_token = NULL,
       token_expires_at = NULL,
       client_secret = NULL,
       webhook_secret = NULL,
       state = 'disconnected';

-- Nor delete the meetings that production queued for deletion.
DELETE FROM zoom_meeting_deletion;
