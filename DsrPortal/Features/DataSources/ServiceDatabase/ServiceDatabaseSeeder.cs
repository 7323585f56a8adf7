using System.Data.Common;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace DsrPortal.Features.DataSources.ServiceDatabase;

/// <summary>
/// Generates the demo social app's own database: users, devices, posts ("dynamics"), photos, comments,
/// likes, search, reading, interaction and sharing records, with portable SQL for SQLite and PostgreSQL.
/// </summary>
internal static class ServiceDatabaseSeeder
{
    private const int MaxRowsPerStatement = 200;
    private const int MaxParametersPerStatement = 900;

    private static readonly (string Name, string[] Columns)[] Schema =
    [
        ("users", ["phone TEXT NOT NULL UNIQUE", "nickname TEXT", "gender TEXT", "constellation TEXT", "registered_at TEXT NOT NULL"]),
        ("devices", ["user_id BIGINT NOT NULL", "model TEXT", "os TEXT", "device_identifier TEXT", "app_version TEXT", "network TEXT", "last_seen_at TEXT"]),
        ("dynamics", ["user_id BIGINT NOT NULL", "content TEXT", "channel TEXT", "posted_at TEXT"]),
        ("photos", ["user_id BIGINT NOT NULL", "dynamic_id BIGINT", "file_name TEXT NOT NULL", "caption TEXT", "uploaded_at TEXT"]),
        ("comments", ["user_id BIGINT NOT NULL", "dynamic_id BIGINT", "content TEXT", "created_at TEXT"]),
        ("likes", ["user_id BIGINT NOT NULL", "dynamic_id BIGINT", "created_at TEXT"]),
        ("search_records", ["user_id BIGINT NOT NULL", "query TEXT", "searched_at TEXT"]),
        ("reading_records", ["user_id BIGINT NOT NULL", "dynamic_id BIGINT", "visited_at TEXT", "duration_seconds INTEGER"]),
        ("interaction_records", ["user_id BIGINT NOT NULL", "action TEXT", "target TEXT", "occurred_at TEXT"]),
        ("sharing_records", ["user_id BIGINT NOT NULL", "recipient TEXT", "purpose TEXT", "data_items TEXT", "shared_at TEXT"]),
    ];

    private static readonly string[] Genders = ["Female", "Male", "Unspecified"];
    private static readonly string[] Constellations =
        ["Aries", "Taurus", "Gemini", "Cancer", "Leo", "Virgo", "Libra", "Scorpio", "Sagittarius", "Capricorn", "Aquarius", "Pisces"];
    private static readonly string[] Nicknames =
        ["小雨", "阿杰", "星星", "大熊", "Momo", "小鱼", "糖糖", "阿飞", "木子", "Lily", "豆豆", "小北", "晴天", "Kevin", "橙子", "阿宝", "七七", "Sunny"];
    private static readonly (string Model, string Os)[] DeviceModels =
    [
        ("Huawei Mate 60", "HarmonyOS 4.2"), ("Huawei P60", "HarmonyOS 4.0"), ("Xiaomi 14", "Android 14"), ("Redmi K70", "Android 14"),
        ("iPhone 15", "iOS 18.1"), ("iPhone 13", "iOS 17.6"), ("OPPO Find X7", "Android 14"), ("vivo X100", "Android 14"),
    ];
    private static readonly string[] AppVersions = ["5.2.0", "5.3.1", "5.4.0", "5.4.2", "6.0.0"];
    private static readonly string[] Networks = ["WiFi", "5G", "4G"];
    private static readonly string[] Channels = ["推荐", "同城", "情感", "星座", "Travel", "Food", "Pets"];
    private static readonly string[] PostContents =
    [
        "今天的晚霞太美了", "周末去爬山，累但开心", "新开的火锅店强烈推荐！", "有没有一起看电影的？", "Coffee and rain, perfect Sunday",
        "加班到十点，犒劳自己一杯奶茶", "天蝎座的我今天运势爆棚", "Just finished a 10k run", "猫咪又把花盆打翻了", "求推荐好看的书",
    ];
    private static readonly string[] Captions = ["随手拍", "晚霞", "美食", "Weekend vibes", "我家猫", "山顶的风景", "OOTD", "City lights"];
    private static readonly string[] CommentTexts =
        ["哈哈哈太真实了", "好羡慕！", "在哪里呀？", "Looks amazing!", "同款+1", "下次带上我", "好看", "Nice shot", "加油！", "求地址"];
    private static readonly string[] SearchQueries =
        ["周末去哪儿", "火锅", "hiking", "星座运势", "附近的人", "奶茶推荐", "电影票", "cat videos", "天蝎座性格", "露营装备", "running shoes", "情感树洞"];
    private static readonly string[] Actions = ["join_chat_room", "leave_chat_room", "share_dynamic", "follow_channel"];
    private static readonly string[] Rooms = ["深夜聊天室", "星座交流群", "Hiking Buddies", "美食分享", "同城交友", "Pet Lovers", "情感树洞"];
    private static readonly (string Recipient, string Purpose, string DataItems)[] Sharings =
    [
        ("Tencent Ads SDK", "Advertising measurement with express consent", "device identifier, ad clicks"),
        ("Umeng Analytics", "App usage statistics", "device identifier, app version, network type"),
        ("Alibaba Cloud SMS", "Sending verification codes", "phone number"),
        ("Getui Push", "Delivering push notifications", "device identifier, device model"),
        ("AMap Location SDK", "Showing nearby posts with consent", "approximate location, device identifier"),
    ];

    /// <summary>
    /// Creates the schema (if missing) and inserts <paramref name="users"/> random users plus the given named
    /// subjects (skipping any whose phone already exists), each with devices, posts, photos and activity records.
    /// Every photo row gets a small PNG file of the same name in <paramref name="mediaDirectory"/>.
    /// </summary>
    /// <param name="connection">An open SQLite or PostgreSQL connection.</param>
    /// <param name="mediaDirectory">Directory that receives the photo files; created if missing.</param>
    /// <param name="users">Number of random users to generate.</param>
    /// <param name="namedSubjects">Users with known attributes, generated first and with rich data.</param>
    /// <param name="now">The moment the generated history ends (registrations, posts and visits lie before it).</param>
    /// <param name="seed">Seed for the random generator, for repeatable content.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The total number of rows inserted across all tables.</returns>
    public static async Task<long> SeedAsync(
        DbConnection connection, string mediaDirectory, int users, IReadOnlyList<ServiceSubject> namedSubjects, DateTimeOffset now,
        int seed = 2026, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(namedSubjects);
        ArgumentOutOfRangeException.ThrowIfNegative(users);

        var tables = new Dictionary<string, Table>();
        foreach (var (name, columns) in Schema)
        {
            await ExecuteAsync(connection, $"CREATE TABLE IF NOT EXISTS {name} (id BIGINT PRIMARY KEY, {string.Join(", ", columns)})", cancellationToken);
            if (name != "users")
            {
                await ExecuteAsync(connection, $"CREATE INDEX IF NOT EXISTS ix_{name}_user_id ON {name} (user_id)", cancellationToken);
            }

            var nextId = (await ReadColumnAsync(connection, $"SELECT COALESCE(MAX(id), 0) + 1 FROM {name}", cancellationToken))[0];
            tables[name] = new Table(name, ["id", .. columns.Select(c => c.Split(' ')[0])], Convert.ToInt64(nextId, CultureInfo.InvariantCulture));
        }

        var phones = (await ReadColumnAsync(connection, "SELECT phone FROM users", cancellationToken)).Select(p => (string)p).ToHashSet(StringComparer.Ordinal);
        var pool = (await ReadColumnAsync(connection, "SELECT id FROM dynamics ORDER BY id DESC LIMIT 5000", cancellationToken))
            .Select(id => (Convert.ToInt64(id, CultureInfo.InvariantCulture), DateTimeOffset.UnixEpoch)).ToList();

        var random = new Random(seed);
        var anchor = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var generator = new Generator(random, anchor, tables, pool);
        var people = new List<Person>();
        foreach (var subject in namedSubjects.Where(s => phones.Add(s.Phone)))
        {
            people.Add(generator.AddUser(subject, rich: true));
        }

        for (var i = 0; i < users; i++)
        {
            string phone;
            do
            {
                phone = "139" + random.Next(0, 100_000_000).ToString("D8", CultureInfo.InvariantCulture);
            }
            while (!phones.Add(phone));
            people.Add(generator.AddUser(new ServiceSubject(phone, Pick(random, Nicknames), Pick(random, Genders), Pick(random, Constellations)), rich: false));
        }

        people.ForEach(generator.AddPosts);
        people.ForEach(generator.AddActivity);

        Directory.CreateDirectory(mediaDirectory);
        foreach (var photo in tables["photos"].Rows)
        {
            await File.WriteAllBytesAsync(Path.Combine(mediaDirectory, (string)photo[3]!), SamplePhoto.Png((long)photo[0]!), cancellationToken);
        }

        long inserted = 0;
        foreach (var table in tables.Values)
        {
            inserted += await InsertAsync(connection, table, cancellationToken);
        }

        return inserted;
    }

    private sealed class Table(string name, string[] columns, long nextId)
    {
        public string Name { get; } = name;
        public string[] Columns { get; } = columns;
        public List<object?[]> Rows { get; } = [];

        public long Add(params object?[] values)
        {
            var id = nextId++;
            Rows.Add([id, .. values]);
            return id;
        }
    }

    private sealed record Person(long Id, DateTimeOffset RegisteredAt, bool Rich);

    private sealed class Generator(Random random, DateTimeOffset anchor, Dictionary<string, Table> tables, List<(long Id, DateTimeOffset PostedAt)> pool)
    {
        public Person AddUser(ServiceSubject subject, bool rich)
        {
            var registered = anchor - TimeSpan.FromSeconds(random.NextInt64(86_400, 730L * 86_400));
            var id = tables["users"].Add(subject.Phone, subject.Nickname, subject.Gender, subject.Constellation, Format(registered));
            var person = new Person(id, registered, rich);
            for (var i = Count(person, 2, 1, 3); i > 0; i--)
            {
                var (model, os) = Pick(random, DeviceModels);
                tables["devices"].Add(id, model, os, Identifier(), Pick(random, AppVersions), Pick(random, Networks), Format(After(registered)));
            }

            return person;
        }

        public void AddPosts(Person person)
        {
            for (var i = Count(person, 6, 0, 6, richMax: 8); i > 0; i--)
            {
                var posted = After(person.RegisteredAt);
                var dynamicId = tables["dynamics"].Add(person.Id, Pick(random, PostContents), Pick(random, Channels), Format(posted));
                pool.Add((dynamicId, posted));
                for (var p = Count(person, 1, 0, 2); p > 0; p--)
                {
                    var photos = tables["photos"];
                    var photoId = photos.Add(person.Id, dynamicId, "", Pick(random, Captions), Format(posted));
                    photos.Rows[^1][3] = "p" + photoId.ToString("D6", CultureInfo.InvariantCulture) + ".png";
                }
            }
        }

        public void AddActivity(Person person)
        {
            var since = person.RegisteredAt;
            var scale = pool.Count > 0 ? 1 : 0;
            for (var i = Count(person, 5, 0, 10) * scale; i > 0; i--)
            {
                var (dynamicId, at) = Target(since);
                tables["comments"].Add(person.Id, dynamicId, Pick(random, CommentTexts), at);
            }

            for (var i = Count(person, 8, 0, 15) * scale; i > 0; i--)
            {
                var (dynamicId, at) = Target(since);
                tables["likes"].Add(person.Id, dynamicId, at);
            }

            for (var i = Count(person, 15, 0, 30) * scale; i > 0; i--)
            {
                var (dynamicId, at) = Target(since);
                tables["reading_records"].Add(person.Id, dynamicId, at, random.Next(3, 600));
            }

            for (var i = Count(person, 10, 0, 20); i > 0; i--)
            {
                tables["search_records"].Add(person.Id, Pick(random, SearchQueries), Format(After(since)));
            }

            for (var i = Count(person, 4, 0, 10); i > 0; i--)
            {
                tables["interaction_records"].Add(person.Id, Pick(random, Actions), Pick(random, Rooms), Format(After(since)));
            }

            for (var i = Count(person, 2, 0, 2); i > 0; i--)
            {
                var (recipient, purpose, items) = Pick(random, Sharings);
                tables["sharing_records"].Add(person.Id, recipient, purpose, items, Format(After(since)));
            }
        }

        private (long DynamicId, string At) Target(DateTimeOffset since)
        {
            var (id, posted) = pool[random.Next(pool.Count)];
            return (id, Format(After(posted > since ? posted : since)));
        }

        private int Count(Person person, int richMin, int min, int max, int? richMax = null) =>
            person.Rich ? random.Next(richMin, Math.Max(richMin, richMax ?? max) + 1) : random.Next(min, max + 1);

        private DateTimeOffset After(DateTimeOffset from) =>
            from + TimeSpan.FromSeconds(random.NextInt64(0, Math.Max(1, (long)(anchor - from).TotalSeconds)));

        private string Identifier()
        {
            Span<byte> bytes = stackalloc byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes).ToString("D").ToUpperInvariant();
        }
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task<long> InsertAsync(DbConnection connection, Table table, CancellationToken cancellationToken)
    {
        if (table.Rows.Count == 0)
        {
            return 0;
        }

        var width = table.Columns.Length;
        var perStatement = Math.Min(MaxRowsPerStatement, MaxParametersPerStatement / width);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        for (var offset = 0; offset < table.Rows.Count; offset += perStatement)
        {
            var rows = table.Rows.Skip(offset).Take(perStatement).ToList();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder($"INSERT INTO {table.Name} ({string.Join(", ", table.Columns)}) VALUES ");
            for (var r = 0; r < rows.Count; r++)
            {
                var names = new string[width];
                for (var c = 0; c < width; c++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = names[c] = "@p" + ((r * width) + c).ToString(CultureInfo.InvariantCulture);
                    parameter.Value = rows[r][c] ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }

                sql.Append(r == 0 ? "(" : ", (").AppendJoin(", ", names).Append(')');
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return table.Rows.Count;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<object>> ReadColumnAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<object>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetValue(0));
        }

        return values;
    }
}

/// <summary>A user of the demo social app with known attributes, seeded with rich data.</summary>
/// <param name="Phone">Mobile number, unique across users.</param>
/// <param name="Nickname">Display name.</param>
/// <param name="Gender">'Female', 'Male' or 'Unspecified'.</param>
/// <param name="Constellation">Western zodiac sign in English, e.g. 'Aries'.</param>
internal sealed record ServiceSubject(string Phone, string Nickname, string Gender, string Constellation);
