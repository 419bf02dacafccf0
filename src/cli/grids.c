/* pingan import grids / export grids / check-grids: boundaries on the command line. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/area.h"
#include "domain/audit.h"
#include "domain/boundary.h"
#include "domain/gridimport.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"

static int read_file(const char *path, struct buf *out)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "pingan: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_add(out, chunk, n);
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        fprintf(stderr, "pingan: cannot read %s\n", path);
        return -1;
    }
    return 0;
}

static int crs_of(const char *crs, enum geo_datum *out)
{
    if (!crs || strcmp(crs, "wgs84") == 0)
        *out = GEO_WGS84;
    else if (strcmp(crs, "gcj02") == 0)
        *out = GEO_GCJ02;
    else {
        fprintf(stderr, "pingan: --crs must be wgs84 or gcj02\n");
        return -1;
    }
    return 0;
}

static void print_violations(json_t *v)
{
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it)
    {
        json_t *codes = json_object_get(it, "codes");
        fprintf(stderr, "  %-22s %-18s %-18s %12.1f m²  %s\n",
                json_string_value(json_object_get(it, "kind")),
                json_string_value(json_array_get(codes, 0)),
                json_array_size(codes) > 1 ? json_string_value(json_array_get(codes, 1)) : "",
                json_real_value(json_object_get(it, "area_m2")) +
                    (double)json_integer_value(json_object_get(it, "area_m2")),
                json_string_value(json_object_get(it, "message")));
    }
}

int cli_import(int argc, char **argv)
{
    static struct app app;
    int ledger = argc >= 2 ? cli_import_ledger(argc - 1, argv + 1) : -1;
    if (ledger >= 0)
        return ledger;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "grids") != 0) {
        fputs("usage: pingan import grids --db DB FILE.geojson [--crs wgs84|gcj02]\n"
              "       pingan import people|households|orgs --db DB FILE.csv [--skip-invalid]\n"
              "                                            [--errors FILE]\n"
              "\nImports a FeatureCollection of areas (properties code, name, level, parent;\n"
              "parent absent for a root: a file may bring a whole new county tree). New codes\n"
              "create areas, known codes get their boundary (and name) replaced. Before\n"
              "anything is written the tree is checked: valid polygons, children inside their\n"
              "parent, siblings not overlapping and covering their parent, within\n"
              "tiling_tolerance_m2. Any violation is listed and nothing is written (exit 1).\n"
              "--crs gcj02 converts coordinates from GCJ-02 (Chinese web maps) to WGS-84.\n",
              argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
        return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
    }
    argv++;
    argc--;
    const char *crs = cli_take(&argc, argv, "crs");
    const char *file = argc >= 2 && strncmp(argv[argc - 1], "--", 2) != 0 ? argv[argc - 1] : NULL;
    if (file && argc >= 3 && strncmp(argv[argc - 2], "--", 2) == 0)
        file = NULL; /* it is a flag's value */
    if (!file) {
        fprintf(stderr, "pingan import grids: give the GeoJSON file as the last argument\n");
        return 2;
    }
    argc--;
    enum geo_datum datum;
    if (crs_of(crs, &datum) < 0 || cli_config_load(&app, argc, argv) < 0)
        return 2;
    struct buf text = BUF_INIT;
    if (read_file(file, &text) < 0)
        return 1;
    struct db *db = cli_open_store(&app);
    if (!db) {
        buf_release(&text);
        return 1;
    }
    struct arena a = ARENA_INIT;
    struct geojson_features fs = GEOJSON_FEATURES_INIT;
    struct err e = ERR_INIT;
    GEOSContextHandle_t ctx = boundary_geos();
    int rc = 1;
    int64_t t0 = clock_mono_us();
    if (geojson_features_from_text(ctx, text.ptr, text.len, datum, &a, &fs, &e) < 0) {
        fprintf(stderr, "pingan import grids: %s: %s%s%s\n", file, e.field ? e.field : "",
                e.field ? ": " : "", e.message);
        goto out;
    }
    double tol = (double)app.cfg.tiling_tolerance_m2;
    struct tiling_opts opts = {tol, tol, tol};
    struct grid_import_result res;
    if (db_begin(db, 1) < 0)
        goto out;
    int r = grid_import(db, &a, &fs, NULL, 1, &opts, clock_now_ms(), &res, &e);
    if (r == -2) {
        db_rollback(db);
        fprintf(stderr, "pingan import grids: %zu violation(s); nothing was written:\n",
                json_array_size(res.violations));
        print_violations(res.violations);
        json_decref(res.violations);
        goto out;
    }
    if (r < 0) {
        db_rollback(db);
        fprintf(stderr, "pingan import grids: %s%s%s\n", e.field ? e.field : "",
                e.field ? ": " : "", e.message);
        goto out;
    }
    struct audit_entry ae = {.at_ms = clock_now_ms(), .username = "(command line)",
                             .address = "local", .action = "area.import", .object = file,
                             .outcome = "ok"};
    if (audit_append(db, &ae) < 0 || db_commit(db) < 0) {
        db_rollback(db);
        goto out;
    }
    printf("imported %s: %d area(s) created, %d updated, tiling checked, in %.2f s\n", file,
           res.created, res.updated, (double)(clock_mono_us() - t0) / 1e6);
    rc = 0;
out:
    geojson_features_release(ctx, &fs);
    arena_release(&a);
    buf_release(&text);
    db_close(db);
    return rc;
}

int cli_check_grids(int argc, char **argv)
{
    static struct app app;
    if (cli_take_flag(&argc, argv, "help")) {
        fputs("usage: pingan check-grids --db DB [--tiling-tolerance-m2 N]\n"
              "\nChecks that the stored areas tile: valid polygons, children inside their\n"
              "parent, siblings not overlapping and covering their parent. Lists every\n"
              "violation with the codes and the area in m²; exit 1 if there is any.\n",
              stdout);
        return 0;
    }
    if (cli_config_load(&app, argc, argv) < 0)
        return 2;
    struct db *db = cli_open_store(&app);
    if (!db)
        return 1;
    double tol = (double)app.cfg.tiling_tolerance_m2;
    struct tiling_opts opts = {tol, tol, tol};
    json_t *v = NULL;
    struct err e = ERR_INIT;
    int64_t t0 = clock_mono_us();
    int n = grid_check_all(db, &opts, &v, &e);
    double secs = (double)(clock_mono_us() - t0) / 1e6;
    int rc = 0;
    if (n < 0) {
        fprintf(stderr, "pingan check-grids: %s\n", e.message);
        rc = 1;
    } else if (n > 0) {
        fprintf(stderr, "pingan check-grids: %d violation(s):\n", n);
        print_violations(v);
        rc = 1;
    } else {
        sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM area WHERE retired_ms IS NULL "
                                          "AND boundary IS NOT NULL");
        long areas = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
        sqlite3_reset(st);
        printf("check-grids: %ld areas tile without gaps or overlaps (tolerance %ld m²), %.2f s\n",
               areas, app.cfg.tiling_tolerance_m2, secs);
    }
    json_decref(v);
    db_close(db);
    return rc;
}

int cli_export(int argc, char **argv)
{
    static struct app app;
    if (argc >= 2 && strcmp(argv[1], "people") == 0)
        return cli_export_people(argc - 1, argv + 1);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "grids") != 0) {
        fputs("usage: pingan export grids --db DB --code CODE [--crs wgs84|gcj02] [--out FILE]\n"
              "       pingan export people --db DB [--area CODE] --out FILE.xlsx (see --help)\n"
              "\nWrites the subtree of CODE as a GeoJSON FeatureCollection (properties code,\n"
              "name, level, parent), in WGS-84 or converted to GCJ-02.\n",
              argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
        return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
    }
    argv++;
    argc--;
    const char *code = cli_take(&argc, argv, "code");
    const char *crs = cli_take(&argc, argv, "crs");
    const char *outpath = cli_take(&argc, argv, "out");
    enum geo_datum datum;
    if (crs_of(crs, &datum) < 0 || cli_config_load(&app, argc, argv) < 0)
        return 2;
    if (!code) {
        fprintf(stderr, "pingan export grids: --code CODE is required\n");
        return 2;
    }
    struct db *db = cli_open_store(&app);
    if (!db)
        return 1;
    struct arena a = ARENA_INIT;
    struct area ar;
    int rc = 1;
    if (area_get(db, &a, code, &ar) < 0) {
        fprintf(stderr, "pingan export grids: no area with code %s\n", code);
        goto out;
    }
    json_t *fc = boundary_export_json(db, &a, &ar, NULL, datum == GEO_GCJ02);
    FILE *f = outpath ? fopen(outpath, "w") : stdout;
    if (!f) {
        fprintf(stderr, "pingan export grids: cannot write %s: %s\n", outpath, strerror(errno));
        json_decref(fc);
        goto out;
    }
    rc = json_dumpf(fc, f, JSON_COMPACT) == 0 ? 0 : 1;
    fputc('\n', f);
    if (outpath && fclose(f) != 0)
        rc = 1;
    json_decref(fc);
out:
    arena_release(&a);
    db_close(db);
    return rc;
}
