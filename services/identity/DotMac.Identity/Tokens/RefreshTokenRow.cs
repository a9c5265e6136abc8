namespace DotMac.Identity.Tokens;

public sealed record RefreshTokenRow(Guid Id, Guid FamilyId, string SubjectKind, Guid SubjectId, Guid? TenantId,
    DateTime ExpiresAt, DateTime? UsedAt, DateTime? RevokedAt);
