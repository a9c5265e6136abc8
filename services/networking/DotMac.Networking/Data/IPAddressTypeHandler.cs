using System.Data;
using System.Net;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace DotMac.Networking.Data;

/// <summary>Lets Dapper pass an <see cref="IPAddress"/> as PostgreSQL inet (Npgsql reads inet as IPAddress already).</summary>
internal sealed class IPAddressTypeHandler : SqlMapper.TypeHandler<IPAddress>
{
    public override void SetValue(IDbDataParameter parameter, IPAddress? value)
    {
        parameter.Value = value is null ? DBNull.Value : value;
        if (parameter is NpgsqlParameter npgsql)
            npgsql.NpgsqlDbType = NpgsqlDbType.Inet;
    }

    public override IPAddress? Parse(object value) => value switch
    {
        IPAddress address => address,
        NpgsqlInet inet => inet.Address,
        _ => IPAddress.Parse(value.ToString()!),
    };
}
