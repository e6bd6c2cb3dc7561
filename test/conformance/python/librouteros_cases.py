#!/usr/bin/python3
"""Drives a lab router with Debian's librouteros (python3-librouteros), a RouterOS API client we did
not write, and prints what it observed as JSON, one object per case. The vitest beside this file
(librouteros.test.ts) holds the expectations: what RouterOS does as MikroTik documents it.

usage: librouteros_cases.py '{"host": ..., "port": ..., "user": ..., "password": ..., "tls": false, "cases": [...]}'
"""
import json
import socket
import ssl
import sys
import traceback

import librouteros
from librouteros.exceptions import TrapError, MultiTrapError
from librouteros.query import Key

config = json.loads(sys.argv[1])


def connect(**extra):
    options = {'port': config['port'], 'encoding': 'utf-8', 'timeout': 10}
    if config.get('tls'):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        options['ssl_wrapper'] = lambda sock: context.wrap_socket(sock, server_hostname=config['host'])
    options.update(extra)
    return librouteros.connect(config['host'], config['user'], config['password'], **options)


def raw_words(api):
    """One reply sentence as raw words. librouteros's readSentence cannot parse `.tag=x` (it expects
    every word to be `=key=value`), so tagged replies are read below it, from the protocol."""
    reply, words = api.protocol.readSentence()
    attributes = {}
    for word in words:
        if word.startswith('.tag='):
            attributes['.tag'] = word[len('.tag='):]
        elif word.startswith('='):
            key, _, value = word[1:].partition('=')
            attributes[key] = value
    return reply, attributes


def raw_sentences(api, *words):
    """Sends one sentence and reads every reply sentence up to !done (or !fatal), as (reply, {words})."""
    api.protocol.writeSentence(*words)
    replies = []
    while True:
        reply, attributes = api.readSentence()
        replies.append([reply, attributes])
        if reply in ('!done', '!fatal'):
            return replies


def case_login(api):
    identity = tuple(api('/system/identity/print'))
    return {'identity': identity[0]['name']}


def case_bad_password(_api):
    try:
        librouteros.connect(config['host'], config['user'], config['password'] + 'x', port=config['port'], timeout=10,
                            **({'ssl_wrapper': connect_wrapper()} if config.get('tls') else {}))
        return {'refused': False}
    except TrapError as error:
        return {'refused': True, 'message': error.message}


def connect_wrapper():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return lambda sock: context.wrap_socket(sock, server_hostname=config['host'])


def case_proplist(api):
    rows = tuple(api.path('/interface').select(Key('name'), Key('type')))
    return {'rows': len(rows), 'keys': sorted({key for row in rows for key in row})}


def case_query(api):
    interfaces = api.path('/interface')
    ether1 = tuple(interfaces.select(Key('name'), Key('type')).where(Key('name') == 'ether1'))
    either = tuple(interfaces.select(Key('name')).where(librouteros.query.Or(Key('name') == 'ether1', Key('name') == 'ether2')))
    return {'ether1': ether1, 'either': sorted(row['name'] for row in either)}


def case_add_set_remove(api):
    addresses = api.path('/ip/address')
    new_id = addresses.add(address='10.77.0.1/24', interface='ether2', comment='conformance')
    added = [row for row in addresses if row.get('.id') == new_id]
    addresses.update(**{'.id': new_id, 'comment': 'changed'})
    changed = [row for row in addresses if row.get('.id') == new_id]
    addresses.remove(new_id)
    removed = [row for row in addresses if row.get('.id') == new_id]
    return {
        'id_shape': new_id.startswith('*'),
        'added': added[0]['address'] if added else None,
        'changed': changed[0].get('comment') if changed else None,
        'removed': len(removed) == 0,
    }


def case_trap(api):
    try:
        tuple(api.path('/ip/address').add(address='10.78.0.1/24', interface='ether99'))
        return {'trapped': False}
    except TrapError as error:
        return {'trapped': True, 'message': error.message, 'category': error.category}


def case_empty(api):
    replies = raw_sentences(api, '/ip/route/print', '?comment=no-such-route-anywhere')
    return {'replies': [reply for reply, _ in replies]}


def case_long_words(api):
    results = {}
    for size in (200, 20000):
        comment = 'x' * size
        addresses = api.path('/ip/address')
        new_id = addresses.add(address=f'10.79.{size % 250}.1/24', interface='ether2', comment=comment)
        back = [row for row in addresses if row.get('.id') == new_id]
        results[str(size)] = len(back[0].get('comment', '')) if back else None
        addresses.remove(new_id)
    return results


def byte_length_encoder(self, word):
    # librouteros 3.1 prefixes a word with its length in characters (protocol.py encodeWord:
    # `encodeLength(len(word))`); RouterOS counts bytes. Fixed upstream in luqasz/librouteros#131.
    encoded = word.encode(encoding=self.encoding, errors='strict')
    return librouteros.protocol.Encoder.encodeLength(len(encoded)) + encoded


ORIGINAL_ENCODE_WORD = librouteros.protocol.Encoder.encodeWord


def case_utf8_identity_unpatched(api):
    # The client as Debian ships it: a multi-byte character puts it out of step with the router.
    original = tuple(api('/system/identity/print'))[0]['name']
    broken = connect(timeout=2)
    try:
        tuple(broken('/system/identity/set', name='Zürich'))
        return {'desynchronised': False}
    except (socket.timeout, TimeoutError, librouteros.exceptions.ConnectionClosed, ValueError, UnicodeDecodeError) as error:
        return {'desynchronised': True, 'error': type(error).__name__}
    finally:
        broken.close()
        tuple(api('/system/identity/set', name=original))


def case_utf8_identity(api):
    original = tuple(api('/system/identity/print'))[0]['name']
    librouteros.protocol.Encoder.encodeWord = byte_length_encoder
    try:
        tuple(api('/system/identity/set', name='Zürich-Ковш-東京'))
        identity = tuple(api('/system/identity/print'))[0]['name']
        tuple(api('/system/identity/set', name=original))
        return {'identity': identity}
    finally:
        librouteros.protocol.Encoder.encodeWord = ORIGINAL_ENCODE_WORD


def case_tag_parse(api):
    # What librouteros itself does with a tagged reply: RouterOS answers `.tag=x` words (the API
    # manual, "Tags"), which librouteros 3.1's parse_word cannot split.
    api.protocol.writeSentence('/system/identity/print', '.tag=t1')
    try:
        api.readSentence()
        return {'parsed': True}
    except ValueError as error:
        return {'parsed': False, 'error': str(error)}


def case_tags_and_cancel(api):
    # Two tagged commands in flight on one connection; then /cancel of the second by its tag.
    api.protocol.writeSentence('/interface/print', '.tag=a', '=.proplist=name')
    api.protocol.writeSentence('/system/identity/print', '.tag=b')
    seen = {}
    done = set()
    while len(done) < 2:
        reply, attributes = raw_words(api)
        tag = attributes.get('.tag')
        seen.setdefault(tag, []).append(reply)
        if reply == '!done':
            done.add(tag)
    # A command that runs until canceled (listen answers only when something changes), then /cancel =tag=.
    api.protocol.writeSentence('/interface/listen', '.tag=long')
    api.protocol.writeSentence('/cancel', '=tag=long', '.tag=stop')
    after = []
    while True:
        reply, attributes = raw_words(api)
        after.append([reply, attributes.get('.tag'), attributes.get('category'), attributes.get('message')])
        if reply == '!done' and attributes.get('.tag') in ('long', 'stop') and any(
            entry[0] == '!done' and entry[1] == 'long' for entry in after) and any(
            entry[0] == '!done' and entry[1] == 'stop' for entry in after):
            break
    return {'a': seen.get('a'), 'b': seen.get('b'), 'after_cancel': after}


def case_unknown_command(api):
    replies = raw_sentences(api, '/ip/address/frobnicate')
    return {'replies': [[reply, words.get('message')] for reply, words in replies]}


CASES = {name[len('case_'):]: fn for name, fn in globals().items() if name.startswith('case_')}

results = {}
for name in config['cases']:
    api = None
    try:
        api = connect()
        results[name] = {'ok': True, 'observed': CASES[name](api)}
    except Exception as error:  # noqa: BLE001 - every failure is a finding to report, not a crash
        results[name] = {'ok': False, 'error': f'{type(error).__name__}: {error}', 'trace': traceback.format_exc()[-800:]}
    finally:
        if api is not None:
            try:
                api.close()
            except Exception:  # noqa: BLE001
                pass
print(json.dumps(results))
