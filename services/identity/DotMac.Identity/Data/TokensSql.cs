namespace DotMac.Identity.Data;

static class TokensSql
{
    public const string Insert = """
        insert into refresh_tokens (id, family_id, token_hash, subject_kind, subject_id, tenant_id, issued_at, expires_at)
        values (@Id, @FamilyId, @TokenHash, @SubjectKind, @SubjectId, @TenantId, @IssuedAt, @ExpiresAt)
        """;

    public const string FindForUpdate = """
        select id, family_id as familyid, subject_kind as subjectkind, subject_id as subjectid, tenant_id as tenantid,
               expires_at as expiresat, used_at as usedat, revoked_at as revokedat
        from refresh_tokens where token_hash = @TokenHash for update
        """;

    public const string MarkUsed = "update refresh_tokens set used_at = @Now where id = @Id";

    public const string RevokeFamily = "update refresh_tokens set revoked_at = @Now where family_id = @FamilyId and revoked_at is null";

    public const string RevokeSubject = "update refresh_tokens set revoked_at = @Now where subject_id = @SubjectId and revoked_at is null";
}
