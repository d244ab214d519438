import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL, tapPolicies } from "./policies";

// Constructing the pack starts the analyzer's gRPC server: nothing else may live in this file.
new PolicyPack("tap-security", {
  description: "Security controls the tap stack promises (AWS Security Hub FSBP and checkov IDs).",
  enforcementLevel: PACK_ENFORCEMENT_LEVEL,
  policies: tapPolicies,
});
