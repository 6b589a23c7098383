<?php
// A small PHP app the way many start: notes kept in $_SESSION, PHP's default handler (one file per
// session in the session directory, locked while a request holds it).
$dir = getenv('SESSION_DIR');
if ($dir !== false && $dir !== '') {
    if (!is_dir($dir)) mkdir($dir, 0700, true);
    session_save_path($dir);
}
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
header('Content-Type: application/json');

if ($path === '/healthz') {
    echo '"ok"';
    return;
}
if ($path !== '/notes') {
    http_response_code(404);
    echo json_encode(['error' => 'not found']);
    return;
}
session_start();
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $note = $_POST['note'] ?? '';
    if ($note === '') {
        http_response_code(400);
        echo json_encode(['error' => 'note is required']);
        return;
    }
    $_SESSION['notes'][] = $note;
    http_response_code(201);
}
echo json_encode(['notes' => $_SESSION['notes'] ?? []]);
