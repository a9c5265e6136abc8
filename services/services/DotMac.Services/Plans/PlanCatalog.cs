using System.Text.RegularExpressions;
using Dapper;
using DotMac.ServiceDefaults.Data;
using DotMac.ServiceDefaults.Http;
using DotMac.ServiceDefaults.Problems;
using Npgsql;

namespace DotMac.Services.Plans;

/// <summary>The tenant's plan catalog: plans are created active, changed by adding a version, retired (never deleted).</summary>
internal sealed partial class PlanCatalog(DbSession session)
{
    static readonly string[] Periods = ["monthly", "quarterly", "yearly"];

    public async Task<PlanRow> CreateAsync(Guid tenantId, CreatePlanRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Code is null || !CodePattern().IsMatch(request.Code))
            errors["code"] = ["1 to 64 characters: lower-case letters, digits, '-', '_' or '.', starting with a letter or digit."];
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
            errors["name"] = ["A name of 1 to 200 characters is required."];
        Validate(request.Terms, errors, "terms.");
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);

        var id = Guid.CreateVersion7();
        await session.BeginAsync(cancellationToken);
        try
        {
            await session.Connection.ExecuteAsync(Command(PlanSql.InsertPlan, new { Id = id, TenantId = tenantId, request.Code, Name = request.Name.Trim() }, cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException($"A plan with code '{request.Code}' already exists.", "plan.code_taken");
        }
        await InsertVersionAsync(tenantId, id, 1, request.Terms, cancellationToken);
        var row = await GetAsync(tenantId, id, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row!;
    }

    /// <summary>New terms become the plan's next version; orders placed before keep the version they bought.</summary>
    public async Task<PlanRow> ReviseAsync(Guid tenantId, Guid id, PlanTerms terms, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Validate(terms, errors, "");
        if (errors.Count > 0)
            throw new ValidationFailedException(errors);
        await session.BeginAsync(cancellationToken);
        var version = await session.Connection.ExecuteScalarAsync<int?>(Command(PlanSql.NextVersion, new { TenantId = tenantId, Id = id }, cancellationToken));
        if (version is null)
        {
            var existing = await GetAsync(tenantId, id, cancellationToken) ?? throw new NotFoundException("Plan", id);
            throw new ConflictException($"Plan '{existing.Code}' is retired and cannot change.", "plan.retired");
        }
        await InsertVersionAsync(tenantId, id, version.Value, terms, cancellationToken);
        var row = await GetAsync(tenantId, id, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row!;
    }

    public async Task<PlanRow> RetireAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await session.BeginAsync(cancellationToken);
        if (await session.Connection.ExecuteAsync(Command(PlanSql.Retire, new { TenantId = tenantId, Id = id }, cancellationToken)) == 0)
            throw new NotFoundException("Plan", id);
        var row = await GetAsync(tenantId, id, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row!;
    }

    public async Task<PlanRow?> GetAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await session.OpenAsync(cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<PlanRow>(Command(PlanSql.Get, new { TenantId = tenantId, Id = id }, cancellationToken));
    }

    public async Task<PlanRow?> GetVersionAsync(Guid tenantId, Guid id, int version, CancellationToken cancellationToken)
    {
        await session.OpenAsync(cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<PlanRow>(Command(PlanSql.GetVersion, new { TenantId = tenantId, Id = id, Version = version }, cancellationToken));
    }

    public async Task<IReadOnlyList<PlanRow>> VersionsAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await session.OpenAsync(cancellationToken);
        return [.. await session.Connection.QueryAsync<PlanRow>(Command(PlanSql.Versions, new { TenantId = tenantId, Id = id }, cancellationToken))];
    }

    public async Task<(IReadOnlyList<PlanRow> Rows, long Total)> ListAsync(Guid tenantId, string? status, int limit, int offset, CancellationToken cancellationToken)
    {
        if (status is not null and not ("active" or "retired"))
            throw new ValidationFailedException("status", "active or retired.");
        OffsetPaging.Validate(limit, offset);
        await session.OpenAsync(cancellationToken);
        var parameters = new { TenantId = tenantId, Status = status, Limit = limit, Offset = offset };
        var rows = await session.Connection.QueryAsync<PlanRow>(Command(PlanSql.List, parameters, cancellationToken));
        var total = await session.Connection.ExecuteScalarAsync<long>(Command(PlanSql.Count, parameters, cancellationToken));
        return ([.. rows], total);
    }

    /// <summary>The rules of plan terms, appended to <paramref name="errors"/> under <paramref name="prefix"/>.</summary>
    public static void Validate(PlanTerms? terms, Dictionary<string, string[]> errors, string prefix)
    {
        if (terms is null)
        {
            errors[prefix.TrimEnd('.')] = ["The plan's terms are required."];
            return;
        }
        void Fail(string field, string message) => errors[prefix + field] = [message];
        if (terms.DownloadMbps is < 1 or > 1_000_000)
            Fail("downloadMbps", "Between 1 and 1,000,000 Mbps.");
        if (terms.UploadMbps is < 1 or > 1_000_000)
            Fail("uploadMbps", "Between 1 and 1,000,000 Mbps.");
        if (terms.Price < 0 || terms.Price > 1_000_000_000m || decimal.Round(terms.Price, 4) != terms.Price)
            Fail("price", "Zero or more, at most 4 decimal places.");
        if (terms.Currency is null || !CurrencyPattern().IsMatch(terms.Currency))
            Fail("currency", "An ISO 4217 code in capitals, e.g. USD.");
        if (!Periods.Contains(terms.BillingPeriod))
            Fail("billingPeriod", "monthly, quarterly or yearly.");
        var burst = (terms.BurstDownloadMbps, terms.BurstUploadMbps, terms.BurstSeconds);
        if (burst != (null, null, null))
        {
            if (burst.BurstDownloadMbps is not { } bd || bd < terms.DownloadMbps || bd > 1_000_000)
                Fail("burstDownloadMbps", "With a burst: at least downloadMbps.");
            if (burst.BurstUploadMbps is not { } bu || bu < terms.UploadMbps || bu > 1_000_000)
                Fail("burstUploadMbps", "With a burst: at least uploadMbps.");
            if (burst.BurstSeconds is not (>= 1 and <= 3600))
                Fail("burstSeconds", "With a burst: 1 to 3600 seconds.");
        }
        if (terms.DataCapGb is < 1)
            Fail("dataCapGb", "At least 1 GB, or none.");
        if ((terms.FairUseDownloadMbps is null) != (terms.FairUseUploadMbps is null) || terms.FairUseDownloadMbps is not null && terms.DataCapGb is null)
            Fail("fairUseDownloadMbps", "Both fair-use speeds, and only with a data cap.");
        else if (terms.FairUseDownloadMbps is { } fd && (fd < 1 || fd > terms.DownloadMbps || terms.FairUseUploadMbps!.Value < 1 || terms.FairUseUploadMbps > terms.UploadMbps))
            Fail("fairUseDownloadMbps", "Fair-use speeds are between 1 Mbps and the plan's speeds.");
    }

    Task InsertVersionAsync(Guid tenantId, Guid planId, int version, PlanTerms terms, CancellationToken cancellationToken) =>
        session.Connection.ExecuteAsync(Command(PlanSql.InsertVersion, new
        {
            PlanId = planId,
            Version = version,
            TenantId = tenantId,
            terms.DownloadMbps,
            terms.UploadMbps,
            terms.BurstDownloadMbps,
            terms.BurstUploadMbps,
            terms.BurstSeconds,
            terms.DataCapGb,
            terms.FairUseDownloadMbps,
            terms.FairUseUploadMbps,
            terms.Price,
            terms.Currency,
            terms.BillingPeriod,
        }, cancellationToken));

    CommandDefinition Command(string sql, object parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, session.Transaction, cancellationToken: cancellationToken);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();
}
