import * as pulumi from "@pulumi/pulumi";
import * as s3 from "@pulumi/aws/s3";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { RegionNames } from "./naming";
import { tlsOnlyBucketPolicy } from "./iam-policies";

/** Lifecycle settings of the artifacts bucket. */
export const BUCKET_LIFECYCLE = {
  /** Old object versions are kept this long after being replaced, then deleted. */
  noncurrentVersionExpirationDays: 90,
  /** Incomplete multipart uploads are cleaned up after this many days. */
  abortIncompleteUploadDays: 7,
} as const;

/** Options of the bucket and each of its settings: kept in AWS when Pulumi deletes or replaces them. */
export const BUCKET_RETENTION = { retainOnDelete: true } as const;

export interface ArtifactBucketArgs {
  names: RegionNames;
}

/**
 * One region's artifacts bucket: versioned, encrypted with SSE-S3 and a bucket
 * key, all public access blocked, ACLs disabled, TLS-only, and with a
 * lifecycle that bounds what old versions and failed uploads cost.
 *
 * The bucket and every setting of it are `retainOnDelete` (BUCKET_RETENTION):
 * Pulumi never deletes them, on destroy or when an update replaces them
 * (a new `environmentSuffix`, `projectName` or stack name gives the bucket a
 * new name), and forgets them instead. S3 refuses to delete a bucket that
 * still holds objects or versions (BucketNotEmpty, S3 API Reference,
 * DeleteBucket), so a replacement or destroy that tried would stop half done,
 * after the settings that protect the bucket had been deleted. Kept whole, the
 * old bucket keeps its data and its protection; docs/lifecycle.md says how to
 * delete or reuse it.
 */
export class ArtifactBucket extends pulumi.ComponentResource {
  public readonly bucket: s3.Bucket;
  /** The bucket's name. */
  public readonly bucketName: pulumi.Output<string>;

  constructor(name: string, args: ArtifactBucketArgs, opts: pulumi.ComponentResourceOptions) {
    super("tap:storage:ArtifactBucket", name, {}, opts);
    const child = { parent: this, ...BUCKET_RETENTION };

    this.bucket = new s3.Bucket(`${name}-bucket`, {
      // Bucket names are global across all accounts: the account is part of the name's hash.
      bucket: getCallerIdentityOutput({}, { parent: this }).accountId.apply((accountId) => args.names.artifactBucket(accountId)),
      // Production data: never empty the bucket to delete it (Pulumi does not delete it at all: BUCKET_RETENTION).
      forceDestroy: false,
    }, child);
    const bucketId = this.bucket.id;

    const publicAccessBlock = new s3.BucketPublicAccessBlock(`${name}-public-access-block`, {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }, child);

    new s3.BucketOwnershipControls(`${name}-ownership`, {
      bucket: bucketId,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    }, child);

    const versioning = new s3.BucketVersioning(`${name}-versioning`, {
      bucket: bucketId,
      versioningConfiguration: { status: "Enabled" },
    }, child);

    new s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
      bucket: bucketId,
      rules: [{
        applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
        // A bucket key only changes SSE-KMS (fewer KMS calls); set now so a later switch to KMS stays cheap.
        bucketKeyEnabled: true,
      }],
    }, child);

    // After the public access block, so S3 never evaluates the policy against an unblocked bucket.
    new s3.BucketPolicy(`${name}-tls-only-policy`, {
      bucket: bucketId,
      policy: this.bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))),
    }, { ...child, dependsOn: [publicAccessBlock] });

    // After versioning: the noncurrent-version rule assumes it is on (the provider's docs add the same dependency).
    new s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
      bucket: bucketId,
      rules: [
        {
          id: "expire-noncurrent-versions",
          status: "Enabled",
          filter: {},
          noncurrentVersionExpiration: { noncurrentDays: BUCKET_LIFECYCLE.noncurrentVersionExpirationDays },
        },
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: {},
          abortIncompleteMultipartUpload: { daysAfterInitiation: BUCKET_LIFECYCLE.abortIncompleteUploadDays },
        },
      ],
    }, { ...child, dependsOn: [versioning] });

    this.bucketName = this.bucket.bucket;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucket.arn });
  }
}
