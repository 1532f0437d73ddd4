import { checkReplies } from '@warden/platform';

// In tests every reply is checked against its contract (libs/platform/src/rpc/reply-checks.ts).
checkReplies(true);
