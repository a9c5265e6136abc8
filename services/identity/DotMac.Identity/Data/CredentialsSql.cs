namespace DotMac.Identity.Data;

/// <summary>Lockout and password bookkeeping, the same for staff users and portal accounts (one statement per table).</summary>
static class CredentialsSql
{
    public const string StaffByEmail = """
        select id, tenant_id as tenantid, password_hash as passwordhash, status, must_change_password as mustchangepassword,
               password_changed_at as passwordchangedat, failed_attempts as failedattempts, locked_until as lockeduntil
        from users
        where lower(email) = lower(@Email)
          and case when @Tenant::text is null then tenant_id is not distinct from @TenantId::uuid
                   else tenant_id = any (select t.id from tenants t where t.slug = lower(@Tenant::text)) end
        """;

    public const string StaffById = """
        select id, tenant_id as tenantid, password_hash as passwordhash, status, must_change_password as mustchangepassword,
               password_changed_at as passwordchangedat, failed_attempts as failedattempts, locked_until as lockeduntil
        from users where id = @Id
        """;

    public const string PortalByPortalId = """
        select id, tenant_id as tenantid, password_hash as passwordhash, status, must_change_password as mustchangepassword,
               password_changed_at as passwordchangedat, failed_attempts as failedattempts, locked_until as lockeduntil
        from portal_accounts where portal_id = @PortalId
        """;

    public const string PortalById = """
        select id, tenant_id as tenantid, password_hash as passwordhash, status, must_change_password as mustchangepassword,
               password_changed_at as passwordchangedat, failed_attempts as failedattempts, locked_until as lockeduntil
        from portal_accounts where id = @Id
        """;

    // The counter resets when the lock is set, so the first attempt after the lock ends has five tries again.
    public const string StaffFailure = """
        update users set
            failed_attempts = case when failed_attempts + 1 >= @MaxFailures then 0 else failed_attempts + 1 end,
            locked_until = case when failed_attempts + 1 >= @MaxFailures then @LockUntil else locked_until end
        where id = @Id
        returning locked_until as lockeduntil
        """;

    public const string PortalFailure = """
        update portal_accounts set
            failed_attempts = case when failed_attempts + 1 >= @MaxFailures then 0 else failed_attempts + 1 end,
            locked_until = case when failed_attempts + 1 >= @MaxFailures then @LockUntil else locked_until end
        where id = @Id
        returning locked_until as lockeduntil
        """;

    public const string StaffSuccess = "update users set failed_attempts = 0, locked_until = null, last_login_at = @Now where id = @Id";

    public const string PortalSuccess = "update portal_accounts set failed_attempts = 0, locked_until = null, last_login_at = @Now where id = @Id";

    public const string StaffSetPassword = """
        update users set password_hash = @PasswordHash, must_change_password = false, password_changed_at = @Now,
                         failed_attempts = 0, locked_until = null, updated_at = @Now
        where id = @Id
        """;

    public const string PortalSetPassword = """
        update portal_accounts set password_hash = @PasswordHash, must_change_password = false, password_changed_at = @Now,
                                   failed_attempts = 0, locked_until = null,
                                   status = case when status = 'pending' then 'active' else status end,
                                   activated_at = coalesce(activated_at, @Now)
        where id = @Id
        returning (select status from portal_accounts where id = @Id) as previousstatus
        """;
}
