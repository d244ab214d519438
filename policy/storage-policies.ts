import * as s3 from "@pulumi/aws/s3";
import { ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { labelOf, known, ofType, referrersOf, validateKnownResourceOfType } from "./support";
import { Statement, listOf, parsePolicyDocument } from "./policy-documents";

/**
 * S3: every bucket has its public access block, TLS-only bucket policy,
 * encryption, versioning, ownership controls and lifecycle, each set as the
 * controls require. In provider v7 each of those is its own resource, so each
 * control is two policies: a resource policy checks the settings before the
 * resource is created, and a stack policy checks that every bucket has one.
 */

const BUCKET_TYPE = "aws:s3/bucket:Bucket";
/** A companion's `bucket` input holds the bucket's ID, which for S3 is its name. */
const BUCKET_KEYS = ["id", "bucket"] as const;

export const s3PublicAccessBlockAllFlags: ResourceValidationPolicy = {
  name: "s3-public-access-block-all-flags",
  description: "[S3.8] A bucket's public access block sets all four flags to true.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: validateKnownResourceOfType(s3.BucketPublicAccessBlock, (block, args, reportViolation) => {
    const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;
    const off = flags.filter((flag) => block[flag] !== true);
    if (off.length > 0) {
      reportViolation(`Public access block "${args.name}" leaves ${off.join(", ")} unset or false; set all four flags to true.`);
    }
  }),
};

/** True for a statement that refuses every S3 request made without TLS. */
function deniesInsecureTransport(statement: Statement): boolean {
  const actions = listOf(statement, "Action");
  const principal = statement.Principal;
  const everyone = principal === "*" || (typeof principal === "object" && principal !== null && (principal as Record<string, unknown>).AWS === "*");
  const condition = (statement.Condition as Record<string, Record<string, unknown>> | undefined)?.Bool?.["aws:SecureTransport"];
  const resources = listOf(statement, "Resource");
  // Both the bucket and its objects: "arn:...:b" and "arn:...:b/*".
  const coversBucketAndObjects = resources.some((r) => !r.endsWith("/*") && resources.includes(`${r}/*`));
  return statement.Effect === "Deny" && everyone && (actions.includes("s3:*") || actions.includes("*"))
    && (condition === "false" || condition === false) && coversBucketAndObjects;
}

export const s3BucketPolicyTlsOnly: ResourceValidationPolicy = {
  name: "s3-bucket-policy-tls-only",
  description: "[S3.5] A bucket policy denies every request where aws:SecureTransport is false.",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateKnownResourceOfType(s3.BucketPolicy, (bucketPolicy, args, reportViolation) => {
    const document = parsePolicyDocument(bucketPolicy.policy);
    if (!document.ok) {
      reportViolation(`Bucket policy "${args.name}": ${document.problem}.`);
      return;
    }
    if (!document.statements.some(deniesInsecureTransport)) {
      reportViolation(`Bucket policy "${args.name}" has no statement that denies s3:* to Principal "*" on the bucket and its objects ("<arn>" and "<arn>/*") when Bool aws:SecureTransport is "false".`);
    }
  }),
};

const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

export const s3EncryptionConfigured: ResourceValidationPolicy = {
  name: "s3-encryption-configured",
  description: "[CKV_AWS_19] A bucket's server-side encryption configuration sets a default algorithm (AES256, aws:kms or aws:kms:dsse).",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateKnownResourceOfType(s3.BucketServerSideEncryptionConfiguration, (encryption, args, reportViolation) => {
    const algorithms = (encryption.rules ?? []).map((rule) => rule.applyServerSideEncryptionByDefault?.sseAlgorithm);
    if (!algorithms.some((algorithm) => algorithm !== undefined && SSE_ALGORITHMS.includes(algorithm))) {
      reportViolation(`Encryption configuration "${args.name}" has no rule with applyServerSideEncryptionByDefault.sseAlgorithm set to one of ${SSE_ALGORITHMS.join(", ")}.`);
    }
  }),
};

export const s3VersioningEnabled: ResourceValidationPolicy = {
  name: "s3-versioning-enabled",
  description: "[S3.14] A bucket's versioning status is Enabled.",
  enforcementLevel: "mandatory",
  severity: "low",
  validateResource: validateKnownResourceOfType(s3.BucketVersioning, (versioning, args, reportViolation) => {
    const status = versioning.versioningConfiguration?.status;
    if (status !== "Enabled") {
      reportViolation(`Bucket versioning "${args.name}" has status ${JSON.stringify(status)}; set versioningConfiguration.status to "Enabled".`);
    }
  }),
};

export const s3OwnershipEnforced: ResourceValidationPolicy = {
  name: "s3-ownership-bucket-owner-enforced",
  description: "[S3.12] A bucket's ownership controls disable ACLs (objectOwnership BucketOwnerEnforced).",
  enforcementLevel: "mandatory",
  severity: "medium",
  validateResource: validateKnownResourceOfType(s3.BucketOwnershipControls, (ownership, args, reportViolation) => {
    const objectOwnership = ownership.rule?.objectOwnership;
    if (objectOwnership !== "BucketOwnerEnforced") {
      reportViolation(`Ownership controls "${args.name}" set objectOwnership ${JSON.stringify(objectOwnership)}; set it to "BucketOwnerEnforced" so ACLs are disabled.`);
    }
  }),
};

export const s3LifecycleBoundsOldData: ResourceValidationPolicy = {
  name: "s3-lifecycle-expires-noncurrent-and-aborts-uploads",
  description: "[S3.13/S3.10] A bucket's lifecycle has enabled rules that expire noncurrent versions and abort incomplete multipart uploads.",
  enforcementLevel: "mandatory",
  severity: "low",
  validateResource: validateKnownResourceOfType(s3.BucketLifecycleConfiguration, (lifecycle, args, reportViolation) => {
    const enabled = (lifecycle.rules ?? []).filter((rule) => rule.status === "Enabled");
    const missing: string[] = [];
    if (!enabled.some((rule) => (rule.noncurrentVersionExpiration?.noncurrentDays ?? 0) > 0)) {
      missing.push("noncurrentVersionExpiration.noncurrentDays > 0");
    }
    if (!enabled.some((rule) => (rule.abortIncompleteMultipartUpload?.daysAfterInitiation ?? 0) > 0)) {
      missing.push("abortIncompleteMultipartUpload.daysAfterInitiation > 0");
    }
    if (missing.length > 0) {
      reportViolation(`Lifecycle configuration "${args.name}" has no enabled rule with ${missing.join(", nor one with ")}.`);
    }
  }),
};

/**
 * A stack policy: every bucket has a companion of `companionType` whose
 * `bucket` input is that bucket. In preview a new companion's `bucket` is
 * unknown; the engine's property dependencies still tie it to its bucket, and
 * a bucket that cannot be matched either way is left to the update's check.
 */
function bucketHasCompanion(options: {
  name: string;
  control: string;
  companionType: string;
  companion: string;
  fix: string;
}): StackValidationPolicy {
  return {
    name: options.name,
    description: `[${options.control}] Every S3 bucket has its own ${options.companion}.`,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation: ReportViolation) => {
      const companions = ofType(args.resources, options.companionType);
      for (const bucket of ofType(args.resources, BUCKET_TYPE)) {
        const referrers = referrersOf(bucket, companions, "bucket", BUCKET_KEYS);
        if (referrers.found.length === 0 && !referrers.undecided) {
          const bucketName = known(() => bucket.props.bucket);
          const label = typeof bucketName === "string" ? ` (${bucketName})` : "";
          reportViolation(`Bucket ${labelOf(bucket)}${label} has no ${options.companion}: ${options.fix}.`, bucket.urn);
        }
      }
    },
  };
}

export const s3BucketHasPublicAccessBlock = bucketHasCompanion({
  name: "s3-bucket-has-public-access-block",
  control: "S3.8",
  companionType: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  companion: "public access block",
  fix: "add an s3.BucketPublicAccessBlock with bucket set to the bucket's id",
});

export const s3BucketHasTlsOnlyPolicy = bucketHasCompanion({
  name: "s3-bucket-has-tls-only-policy",
  control: "S3.5",
  companionType: "aws:s3/bucketPolicy:BucketPolicy",
  companion: "bucket policy",
  fix: "add an s3.BucketPolicy that denies requests where aws:SecureTransport is false",
});

export const s3BucketHasEncryption = bucketHasCompanion({
  name: "s3-bucket-has-encryption",
  control: "CKV_AWS_19",
  companionType: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  companion: "server-side encryption configuration",
  fix: "add an s3.BucketServerSideEncryptionConfiguration with a default sseAlgorithm",
});

export const s3BucketHasVersioning = bucketHasCompanion({
  name: "s3-bucket-has-versioning",
  control: "S3.14",
  companionType: "aws:s3/bucketVersioning:BucketVersioning",
  companion: "versioning configuration",
  fix: "add an s3.BucketVersioning with status Enabled",
});

export const s3BucketHasOwnershipControls = bucketHasCompanion({
  name: "s3-bucket-has-ownership-controls",
  control: "S3.12",
  companionType: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  companion: "ownership controls",
  fix: "add an s3.BucketOwnershipControls with objectOwnership BucketOwnerEnforced",
});

export const s3BucketHasLifecycle = bucketHasCompanion({
  name: "s3-bucket-has-lifecycle",
  control: "S3.13/S3.10",
  companionType: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  companion: "lifecycle configuration",
  fix: "add an s3.BucketLifecycleConfiguration that expires noncurrent versions and aborts incomplete uploads",
});

export const storagePolicies = [
  s3PublicAccessBlockAllFlags,
  s3BucketPolicyTlsOnly,
  s3EncryptionConfigured,
  s3VersioningEnabled,
  s3OwnershipEnforced,
  s3LifecycleBoundsOldData,
  s3BucketHasPublicAccessBlock,
  s3BucketHasTlsOnlyPolicy,
  s3BucketHasEncryption,
  s3BucketHasVersioning,
  s3BucketHasOwnershipControls,
  s3BucketHasLifecycle,
];
