using System.Globalization;
using System.Text;
using DsrPortal.Features.Accounts;
using DsrPortal.Features.Requests;

namespace DsrPortal.Features.Reports;

internal static class ReportEndpoints
{
    public static IHostApplicationBuilder AddPortalReports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReportService>();
        return builder;
    }

    /// <summary>The yearly report as CSV, for the privacy team's own records (CCPA § 7102 shape).</summary>
    public static IEndpointRouteBuilder MapPortalReports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/reports/yearly/{year:int}.csv", async (int year, ReportService reports, CancellationToken cancellationToken) =>
            {
                if (year is < 2000 or > 2100)
                {
                    return Results.Problem(detail: "Choose a year between 2000 and 2100.", statusCode: StatusCodes.Status400BadRequest);
                }

                var rows = await reports.YearlyAsync(year, cancellationToken);
                return Results.File(Encoding.UTF8.GetBytes(ToCsv(year, rows)), "text/csv; charset=utf-8", $"dsr-report-{year}.csv");
            })
            .RequireAuthorization(policy => policy.RequireRole(PortalRoles.Supervisor))
            .ExcludeFromDescription();
        return endpoints;
    }

    // Codes and numbers only: nothing in a cell needs quoting.
    internal static string ToCsv(int year, IReadOnlyList<YearlyRow> rows)
    {
        var reasons = Enum.GetValues<RefusalReason>();
        var csv = new StringBuilder();
        csv.Append("year,request_type,received,completed,completed_in_part,refused,withdrawn,still_open,median_days,mean_days,on_time_rate");
        foreach (var reason in reasons)
        {
            csv.Append(",refused_").Append(reason);
        }

        csv.Append('\n');
        foreach (var row in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{year},{row.Type},{row.Received},{row.Completed},{row.CompletedInPart},{row.Refused},{row.Withdrawn},{row.StillOpen},")
                .Append(CultureInfo.InvariantCulture, $"{row.MedianDays},{row.MeanDays},{row.OnTimeRate}");
            foreach (var reason in reasons)
            {
                csv.Append(',').Append(row.RefusedByReason.GetValueOrDefault(reason));
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }
}
