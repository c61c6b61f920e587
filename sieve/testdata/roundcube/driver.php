<?php
// Drives Roundcube's own managesieve serializer and parser
// (plugins/managesieve/lib/Roundcube/rcube_sieve_script.php, Debian package
// roundcube-plugins) for the tests of the sieve package.
//
//   php driver.php generate DIR   writes the corpus: one script per form
//                                 filled as Mailiz users fill them, built
//                                 the way rcube_sieve_vacation::vacation_post,
//                                 rcube_sieve_forward::forward_post and
//                                 rcube_sieve_engine::save build their rule
//                                 arrays, serialized by rcube_sieve_script
//   php driver.php fields FILE…   prints, as JSON (by file name), what Roundcube's forms
//                                 read from the script: the vacation form's
//                                 fields as rcube_sieve_vacation::get_vacation
//                                 computes them, the forward form's, and every
//                                 other rule as rcube_sieve_script parses it
//
// ROUNDCUBE_MANAGESIEVE_LIB overrides the directory of the Roundcube classes.
// The user's time zone (Roundcube's "timezone" setting) is Europe/Paris,
// except where a form says otherwise.

$lib = getenv('ROUNDCUBE_MANAGESIEVE_LIB') ?: '/usr/share/roundcube/plugins/managesieve/lib/Roundcube';
require_once $lib . '/rcube_sieve_script.php';

const USER_TZ = 'Europe/Paris';

// The extensions Pigeonhole announces (Roundcube drops what the server lacks).
const CAPABILITIES = ['fileinto', 'reject', 'envelope', 'encoded-character', 'vacation', 'subaddress',
    'comparator-i;ascii-numeric', 'relational', 'regex', 'imap4flags', 'copy', 'include', 'body',
    'variables', 'enotify', 'environment', 'mailbox', 'date', 'index', 'ihave', 'duplicate', 'mime',
    'vacation-seconds', 'editheader', 'spamtest', 'spamtestplus'];

// fromField is vacation_post's treatment of the "Adresse de réponse"
// field: format_email_recipient(mailto, name), then
// Mail_mimePart::encodeHeader('From', …, 'base64'), which encodes a
// non-ASCII name as one base64 encoded-word.
function fromField($name, $addr)
{
    if ($name === '') {
        return $addr;
    }
    if (preg_match('/[^\x20-\x7e]/', $name)) {
        return '=?UTF-8?B?' . base64_encode($name) . '?= <' . $addr . '>';
    }
    if (preg_match('/[,;"\'<>@()\[\]\\\\:]/', $name)) { // rcube_utils quoting
        $name = '"' . addcslashes($name, '"\\') . '"';
    }
    return $name . ' <' . $addr . '>';
}

// vacationRule builds the rule of the vacation form as vacation_post does.
function vacationRule(array $f)
{
    $tz = new DateTimeZone($f['timezone'] ?? USER_TZ);
    $action = ['type' => 'vacation', 'reason' => str_replace("\r\n", "\n", $f['reason']),
        'subject' => trim($f['subject'] ?? ''), 'from' => trim($f['from'] ?? ''),
        'addresses' => $f['addresses'] ?? []];
    $type = $f['interval_type'] ?? 'days';
    $action[$type] = $f['interval'] ?? '';
    $tests = [];
    foreach (['date_from' => 'ge', 'date_to' => 'le'] as $var => $op) {
        $time = $f[str_replace('date', 'time', $var)] ?? '';
        $date = trim(($f[$var] ?? '') . ' ' . $time);
        if ($date === '') {
            continue;
        }
        $dt = new DateTime($date, $tz);
        if ($time) {
            $tests[] = ['test' => 'currentdate', 'part' => 'iso8601', 'type' => 'value-' . $op,
                'zone' => $dt->format('O'), 'arg' => str_replace('+00:00', 'Z', strtoupper($dt->format('c')))];
        } else {
            $tests[] = ['test' => 'currentdate', 'part' => 'date', 'type' => 'value-' . $op,
                'zone' => $dt->format('O'), 'arg' => $dt->format('Y-m-d')];
        }
    }
    if (!$tests) {
        $tests = [['test' => 'true']];
    }
    $rule = ['type' => 'if', 'name' => $f['name'] ?? 'Absence', 'disabled' => ($f['status'] ?? 'on') == 'off',
        'tests' => $tests, 'join' => count($tests) > 1, 'actions' => [$action]];
    $act = $f['action'] ?? 'keep';
    if ($act != 'keep') {
        $rule['actions'][] = ['type' => $act == 'discard' ? 'discard' : 'redirect',
            'copy' => $act == 'copy', 'target' => $act != 'discard' ? $f['target'] : ''];
    }
    return $rule;
}

// forwardRule builds the rule of the forward form as forward_post does.
function forwardRule(array $f)
{
    return ['type' => 'if', 'name' => $f['name'] ?? 'Transfert', 'disabled' => ($f['status'] ?? 'on') == 'off',
        'tests' => [['test' => 'true']], 'join' => false,
        'actions' => [['type' => 'redirect', 'copy' => ($f['action'] ?? 'redirect') == 'copy', 'target' => $f['target']]]];
}

// filterRule builds a rule of the filter form as rcube_sieve_engine::save
// does: the operator's "not" prefix becomes 'not', the rest the match type.
function filterRule($name, $join, array $tests, array $actions, $disabled = false)
{
    $out = [];
    foreach ($tests as $t) {
        if (isset($t['op'])) {
            $t['not'] = strncmp($t['op'], 'not', 3) == 0;
            $t['type'] = preg_replace('/^not/', '', $t['op']);
            unset($t['op']);
            if ($t['type'] == 'exists') {
                $t = ['test' => 'exists', 'not' => $t['not'], 'arg' => $t['arg1']];
            }
        }
        $out[] = $t;
    }
    return ['type' => 'if', 'name' => $name, 'disabled' => $disabled, 'join' => $join, 'tests' => $out, 'actions' => $actions];
}

function hdr($header, $op, $value, $extra = [])
{
    return array_merge(['test' => 'header', 'op' => $op, 'arg1' => $header, 'arg2' => $value], $extra);
}

function addr($test, $header, $part, $op, $value, $extra = [])
{
    return array_merge(['test' => $test, 'op' => $op, 'arg1' => $header, 'arg2' => $value, 'part' => $part], $extra);
}

// corpus returns every script of the corpus: name => list of rules.
function corpus()
{
    $reason = "Bonjour,\n\nJe suis absent du cabinet.\n.Ligne commençant par un point.\nEn cas d'urgence, appelez le 15.\n\nDr Jean Dupont";
    $me = 'jean.dupont@esantepdl.mssante.fr';
    $base = ['reason' => 'Je suis absent, je vous répondrai à mon retour.', 'subject' => 'Absence du Dr Dupont',
        'interval' => '7', 'addresses' => [$me]];
    $c = [];
    // The vacation form ("Courriel de réponse").
    $c['vacation-nodates'] = [vacationRule($base)];
    $c['vacation-nodates-disabled'] = [vacationRule($base + ['status' => 'off'])];
    $c['vacation-dates-summer'] = [vacationRule(['date_from' => '2025-07-14', 'date_to' => '2025-08-03'] + $base)];
    $c['vacation-dates-winter'] = [vacationRule(['date_from' => '2025-12-20', 'date_to' => '2026-01-05'] + $base)];
    $c['vacation-dates-across-dst'] = [vacationRule(['date_from' => '2026-03-20', 'date_to' => '2026-04-06'] + $base)];
    $c['vacation-from-only'] = [vacationRule(['date_from' => '2025-09-01'] + $base)];
    $c['vacation-to-only'] = [vacationRule(['date_to' => '2025-09-30'] + $base)];
    $c['vacation-times-winter'] = [vacationRule(['date_from' => '2025-12-19', 'time_from' => '18:00',
        'date_to' => '2026-01-05', 'time_to' => '08:00'] + $base)];
    $c['vacation-times-summer'] = [vacationRule(['date_from' => '2025-07-11', 'time_from' => '17:30',
        'date_to' => '2025-08-04', 'time_to' => '08:00'] + $base)];
    $c['vacation-times-across-dst'] = [vacationRule(['date_from' => '2025-10-17', 'time_from' => '18:00',
        'date_to' => '2025-11-03', 'time_to' => '09:00'] + $base)];
    // Roundcube's "auto" time zone is the browser's offset when the form is
    // saved: in winter, a summer absence gets the winter offset.
    $c['vacation-winter-offset-in-summer'] = [vacationRule(['timezone' => '+01:00', 'date_from' => '2026-07-13',
        'time_from' => '08:00', 'date_to' => '2026-08-02', 'time_to' => '20:00'] + $base)];
    $c['vacation-winter-offset-dates'] = [vacationRule(['timezone' => '+01:00', 'date_from' => '2026-07-13',
        'date_to' => '2026-08-02'] + $base)];
    $c['vacation-seconds'] = [vacationRule(['interval_type' => 'seconds', 'interval' => '3600'] + $base)];
    $c['vacation-seconds-zero'] = [vacationRule(['interval_type' => 'seconds', 'interval' => '0'] + $base)];
    $c['vacation-days-one'] = [vacationRule(['interval' => '1'] + $base)];
    $c['vacation-no-interval'] = [vacationRule(['interval' => ''] + $base)];
    $c['vacation-no-subject'] = [vacationRule(['subject' => ''] + $base)];
    $c['vacation-addresses'] = [vacationRule(['addresses' => [$me, 'dr.dupont@chu-nantes.mssante.fr', 'secretariat.dupont@esantepdl.mssante.fr']] + $base)];
    $c['vacation-no-addresses'] = [vacationRule(['addresses' => []] + $base)];
    $c['vacation-from-bare'] = [vacationRule(['from' => $me] + $base)];
    $c['vacation-from-name'] = [vacationRule(['from' => fromField('Dr Jean Dupont', $me)] + $base)];
    $c['vacation-from-name-accents'] = [vacationRule(['from' => fromField('Dr Hélène Lefèvre', 'helene.lefevre@esantepdl.mssante.fr'),
        'addresses' => ['helene.lefevre@esantepdl.mssante.fr']] + $base)];
    $c['vacation-from-name-specials'] = [vacationRule(['from' => fromField('Dupont, Jean (cabinet@Nantes)', $me)] + $base)];
    $c['vacation-multiline'] = [vacationRule(['reason' => $reason, 'date_from' => '2025-07-14', 'date_to' => '2025-08-03'] + $base)];
    $c['vacation-discard'] = [vacationRule(['action' => 'discard'] + $base)];
    $c['vacation-redirect'] = [vacationRule(['action' => 'redirect', 'target' => 'remplacant@esantepdl.mssante.fr',
        'date_from' => '2025-07-14', 'date_to' => '2025-08-03'] + $base)];
    $c['vacation-copy'] = [vacationRule(['action' => 'copy', 'target' => 'secretariat.dupont@esantepdl.mssante.fr',
        'date_from' => '2025-12-19', 'time_from' => '18:00', 'date_to' => '2026-01-05', 'time_to' => '08:00',
        'from' => fromField('Dr Jean Dupont', $me)] + $base)];
    // The forward form ("Transfert").
    $c['forward-redirect'] = [forwardRule(['target' => 'secretariat.dupont@esantepdl.mssante.fr'])];
    $c['forward-copy'] = [forwardRule(['action' => 'copy', 'target' => 'secretariat.dupont@esantepdl.mssante.fr'])];
    $c['forward-disabled'] = [forwardRule(['action' => 'copy', 'status' => 'off', 'target' => 'secretariat.dupont@esantepdl.mssante.fr'])];
    // The filter form ("Filtres").
    $file = [['type' => 'fileinto', 'target' => 'INBOX/Résultats']];
    foreach (['contains', 'notcontains', 'is', 'notis', 'matches', 'notmatches', 'regex', 'notregex', 'exists', 'notexists'] as $op) {
        $value = ['contains' => 'résultats', 'is' => 'Résultats IRM', 'matches' => 'Résultats*IRM', 'regex' => '^(Re|TR|Fwd): .*(IRM|ordonnance)', 'exists' => ''][preg_replace('/^not/', '', $op)];
        $c["filter-subject-$op"] = [filterRule('Résultats', false, [hdr('subject', $op, $value)], $file)];
    }
    $c['filter-subject-regex-nonascii'] = [filterRule('Résultats', false, [hdr('subject', 'regex', '^R[ée]sultats')], $file)];
    foreach (['value-gt', 'value-ge', 'value-lt', 'value-le', 'value-eq', 'value-ne', 'count-gt', 'count-eq'] as $op) {
        $c["filter-relational-$op"] = [filterRule('Relationnel', false, [hdr('x-priority', $op, '2', ['comparator' => 'i;ascii-numeric'])], $file)];
    }
    $c['filter-subject-octet'] = [filterRule('Casse exacte', false, [hdr('subject', 'contains', 'URGENT', ['comparator' => 'i;octet'])], $file)];
    $c['filter-subject-ascii'] = [filterRule('Urgent', false, [hdr('subject', 'contains', 'urgent')], [['type' => 'addflag', 'target' => '\\Flagged']])];
    $c['filter-header-from-is'] = [filterRule('Dr Martin', false, [hdr('from', 'is', 'dr.martin@chu-nantes.mssante.fr')], $file)];
    $c['filter-header-from-contains'] = [filterRule('Dr Martin', false, [hdr('from', 'contains', 'dr.martin@chu-nantes.mssante.fr')], $file)];
    $c['filter-headers-list'] = [filterRule('Copie', false, [hdr(['to', 'cc'], 'contains', 'secretariat')], $file)];
    $c['filter-custom-header'] = [filterRule('MSS', false, [hdr('X-MSS-MES', 'is', 'FIN')], [['type' => 'discard'], ['type' => 'stop']])];
    foreach (['all', 'localpart', 'domain'] as $part) {
        $c["filter-address-$part"] = [filterRule('Adresse', false, [addr('address', 'from', $part, 'is',
            ['all' => 'dr.martin@chu-nantes.mssante.fr', 'localpart' => 'dr.martin', 'domain' => 'chu-nantes.mssante.fr'][$part])], $file)];
    }
    $c['filter-address-to-contains'] = [filterRule('Adresse', false, [addr('address', ['to', 'cc'], 'all', 'contains', 'secretariat')], $file)];
    $c['filter-address-user'] = [filterRule('Sous-adresse', false, [addr('address', 'to', 'user', 'is', 'jean.dupont')], $file)];
    $c['filter-address-detail'] = [filterRule('Sous-adresse', false, [addr('address', 'to', 'detail', 'is', 'labo')], $file)];
    $c['filter-envelope-from'] = [filterRule('Enveloppe', false, [addr('envelope', 'from', 'all', 'is', 'resultats@biogroup.mssante.fr')], $file)];
    $c['filter-envelope-domain'] = [filterRule('Enveloppe', false, [addr('envelope', 'from', 'domain', 'is', 'biogroup.mssante.fr')], $file)];
    $c['filter-size-over'] = [filterRule('Gros', false, [['test' => 'size', 'type' => 'over', 'arg' => '5M']], [['type' => 'fileinto', 'target' => 'Gros']])];
    $c['filter-size-under'] = [filterRule('Petit', false, [['test' => 'size', 'type' => 'under', 'arg' => '100K']], [['type' => 'keep']])];
    $c['filter-body-contains'] = [filterRule('Corps', false, [['test' => 'body', 'part' => 'text', 'type' => 'contains', 'arg' => 'compte rendu']], $file)];
    $c['filter-body-raw'] = [filterRule('Corps', false, [['test' => 'body', 'part' => 'raw', 'type' => 'contains', 'arg' => 'compte rendu']], $file)];
    $c['filter-allof'] = [filterRule('Tous', true, [hdr('subject', 'contains', 'résultats'), addr('address', 'from', 'domain', 'is', 'biogroup.mssante.fr')], $file)];
    $c['filter-anyof'] = [filterRule('Un', false, [hdr('subject', 'contains', 'résultats'), hdr('subject', 'contains', 'compte rendu')], $file)];
    $c['filter-true'] = [filterRule('Tous les messages', false, [['test' => 'true']], [['type' => 'addflag', 'target' => 'Lu']])];
    $c['filter-fileinto-copy'] = [filterRule('Copie', false, [hdr('subject', 'contains', 'RCP')], [['type' => 'fileinto', 'copy' => true, 'target' => 'RCP']])];
    $c['filter-fileinto-copy-then-discard'] = [
        filterRule('Copie RCP', false, [hdr('subject', 'contains', 'RCP')], [['type' => 'fileinto', 'copy' => true, 'target' => 'RCP']]),
        filterRule('Listes', false, [['test' => 'exists', 'arg' => 'list-id']], [['type' => 'discard']]),
    ];
    $c['filter-redirect'] = [filterRule('Réacheminer', false, [hdr('subject', 'contains', 'ordonnance')], [['type' => 'redirect', 'target' => 'secretariat@esantepdl.mssante.fr']])];
    $c['filter-redirect-copy'] = [filterRule('Copie secrétariat', false, [hdr('subject', 'contains', 'ordonnance')], [['type' => 'redirect', 'copy' => true, 'target' => 'secretariat@esantepdl.mssante.fr']])];
    $c['filter-reject'] = [filterRule('Refus', false, [addr('address', 'from', 'domain', 'is', 'patient.mssante.fr')], [['type' => 'reject', 'target' => "Cette messagerie ne reçoit pas de messages de patients.\nAppelez le cabinet."]])];
    $c['filter-discard-stop'] = [filterRule('Listes', false, [['test' => 'exists', 'arg' => 'list-id']], [['type' => 'discard'], ['type' => 'stop']])];
    $c['filter-flags'] = [filterRule('Drapeaux', false, [hdr('subject', 'contains', 'urgent')], [['type' => 'addflag', 'target' => ['\\Flagged', '$Urgent']], ['type' => 'keep']])];
    $c['filter-setflag'] = [filterRule('Drapeaux', false, [hdr('subject', 'contains', 'urgent')], [['type' => 'setflag', 'target' => '\\Flagged']])];
    $c['filter-removeflag'] = [filterRule('Drapeaux', false, [hdr('subject', 'contains', 'urgent')], [['type' => 'removeflag', 'target' => '\\Seen']])];
    $c['filter-disabled'] = [filterRule('Désactivé', false, [hdr('subject', 'contains', 'test')], [['type' => 'discard']], true)];
    $c['filter-date-header'] = [filterRule('Date', false, [['test' => 'date', 'header' => 'date', 'part' => 'weekday', 'type' => 'value-eq', 'arg' => '0', 'zone' => '+0100']], $file)];
    // A whole Mailiz account: absence, forward and filters in one script.
    $c['mailiz-account'] = [
        vacationRule(['date_from' => '2025-07-14', 'date_to' => '2025-08-03', 'action' => 'copy',
            'target' => 'remplacant@esantepdl.mssante.fr', 'from' => fromField('Dr Jean Dupont', $me)] + $base),
        filterRule('Résultats labo', true, [addr('address', 'from', 'domain', 'is', 'biogroup.mssante.fr'), hdr('subject', 'contains', 'résultats')],
            [['type' => 'addflag', 'target' => '$Biologie'], ['type' => 'fileinto', 'target' => 'INBOX/Biologie'], ['type' => 'stop']]),
        filterRule('Accusés de lecture', false, [hdr('content-type', 'contains', 'disposition-notification')], [['type' => 'fileinto', 'target' => 'Accusés']]),
    ];
    return $c;
}

function generate($dir)
{
    foreach (corpus() as $name => $rules) {
        $s = new rcube_sieve_script('', CAPABILITIES);
        foreach ($rules as $r) {
            $s->add_rule($r);
        }
        file_put_contents("$dir/$name.sieve", $s->as_text());
    }
}

// fields returns what the forms read from a script, as vacation_rule,
// get_vacation and forward_rule compute it (and every other rule as parsed).
function fields($text)
{
    $s = new rcube_sieve_script($text, CAPABILITIES);
    $tz = new DateTimeZone(USER_TZ);
    $out = ['vacation' => null, 'forward' => null, 'filters' => []];
    foreach ($s->as_array() as $rule) {
        $first = $rule['actions'][0] ?? ['type' => ''];
        if ($out['vacation'] === null && $first['type'] == 'vacation') {
            $action = 'keep';
            $target = null;
            foreach ($rule['actions'] as $act) {
                if ($act['type'] == 'discard' || $act['type'] == 'keep') {
                    $action = $act['type'];
                } elseif ($act['type'] == 'redirect') {
                    $action = !empty($act['copy']) ? 'copy' : 'redirect';
                    $target = $act['target'];
                }
            }
            $dates = [];
            $other = [];
            foreach ((array) $rule['tests'] as $t) {
                if ($t['test'] == 'currentdate') {
                    $idx = $t['type'] == 'value-ge' ? 'start' : 'end';
                    $dates[$idx] = (new DateTime($t['arg'], $tz))->format('Y-m-d H:i:s');
                } elseif ($t['test'] != 'true') {
                    $other[] = $t;
                }
            }
            $interval = isset($first['seconds']) ? $first['seconds'] . 's' : (isset($first['days']) ? $first['days'] . 'd' : null);
            $from = $first['from'] ?? null;
            if ($from !== null) {
                $from = mb_decode_mimeheader($from);
            }
            $out['vacation'] = ['name' => $rule['name'] ?? '', 'enabled' => empty($rule['disabled']),
                'interval' => $interval, 'start' => $dates['start'] ?? null, 'end' => $dates['end'] ?? null,
                'message' => $first['reason'] ?? null, 'subject' => $first['subject'] ?? null,
                'from' => $from, 'addresses' => (array) ($first['addresses'] ?? []),
                'action' => $action, 'target' => $target, 'other_tests' => $other];
            continue;
        }
        $onlyTrue = count((array) $rule['tests']) == 1 && $rule['tests'][0]['test'] == 'true' && empty($rule['tests'][0]['not']);
        if ($out['forward'] === null && $onlyTrue && count($rule['actions']) == 1 && $first['type'] == 'redirect') {
            $out['forward'] = ['name' => $rule['name'] ?? '', 'enabled' => empty($rule['disabled']),
                'action' => !empty($first['copy']) ? 'copy' : 'redirect', 'target' => $first['target']];
            continue;
        }
        $out['filters'][] = $rule;
    }
    return $out;
}

switch ($argv[1] ?? '') {
case 'generate':
    generate($argv[2]);
    break;
case 'fields':
    $out = [];
    foreach (array_slice($argv, 2) as $file) {
        $out[basename($file)] = fields(file_get_contents($file));
    }
    echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
    break;
default:
    fwrite(STDERR, "usage: php driver.php generate DIR | fields FILE...\n");
    exit(2);
}
